// ConfigReader: typed reads, --set overrides, and one-line errors naming file:line and key.
#include "core/common/config_reader.h"
#include "core/common/error.h"

#include <QtTest>

using strata::common::ConfigReader;
using strata::common::Error;

namespace {

std::string errorOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestConfigReader : public QObject {
    Q_OBJECT

private slots:
    void readsTypedValuesAndKeepsDefaults() {
        auto config = ConfigReader::fromString(
            "[a]\nx = 3\ny = 2.5\nname = \"n\"\nlist = [\"p\", \"q\"]\nflag = true\n", "t.toml");
        int x = 0, missing = 7;
        double y = 0;
        std::string name;
        std::vector<std::string> list;
        bool flag = false;
        config.read("a.x", x);
        config.read("a.y", y);
        config.read("a.name", name);
        config.read("a.list", list);
        config.read("a.flag", flag);
        config.read("a.missing", missing);
        config.finish();
        QCOMPARE(x, 3);
        QCOMPARE(y, 2.5);
        QCOMPARE(name, std::string("n"));
        QCOMPARE(list.size(), size_t(2));
        QVERIFY(flag);
        QCOMPARE(missing, 7);
    }

    void integerReadsAsDouble() {
        auto config = ConfigReader::fromString("v = 4\n", "t.toml");
        double v = 0;
        config.read("v", v);
        QCOMPARE(v, 4.0);
    }

    void wrongTypeNamesFileLineAndKey() {
        auto config = ConfigReader::fromString("\n[a]\nx = \"three\"\n", "t.toml");
        int x = 0;
        std::string message = errorOf([&] { config.read("a.x", x); });
        QCOMPARE(message, std::string("t.toml:3: key 'a.x' must be an integer"));
    }

    void unknownKeyIsRejected() {
        auto config = ConfigReader::fromString("[a]\nx = 1\ntypo = 2\n", "t.toml");
        int x = 0;
        config.read("a.x", x);
        QCOMPARE(errorOf([&] { config.finish(); }),
                 std::string("t.toml:3: key 'a.typo' is not a known setting"));
    }

    void finishTableChecksOnlyThatTable() {
        auto config =
            ConfigReader::fromString("[a]\nx = 1\n[a.b]\ntypo = 2\n[other]\ny = 3\n", "t.toml");
        int x = 0;
        config.read("a.x", x);
        QCOMPARE(errorOf([&] { config.finishTable("a"); }),
                 std::string("t.toml:4: key 'a.b.typo' is not a known setting"));
        int typo = 0;
        config.read("a.b.typo", typo);
        config.finishTable("a");  // [other] is someone else's
        config.finishTable("missing");
    }

    void syntaxErrorNamesLine() {
        std::string message =
            errorOf([] { ConfigReader::fromString("a = 1\nb = = 2\n", "bad.toml"); });
        QVERIFY2(message.rfind("bad.toml:2:", 0) == 0, message.c_str());
    }

    void missingFileNamesIt() {
        std::string message = errorOf([] { ConfigReader::fromFile("/no/such/config.toml"); });
        QVERIFY(message.find("/no/such/config.toml") != std::string::npos);
    }

    void overridesReplaceAndCreateKeys() {
        auto config = ConfigReader::fromString("[a]\nx = 1\n", "t.toml");
        config.applyOverride("a.x=5");
        config.applyOverride("b.c.name=hello world");
        config.applyOverride("b.flag=false");
        int x = 0;
        std::string name;
        bool flag = true;
        config.read("a.x", x);
        config.read("b.c.name", name);
        config.read("b.flag", flag);
        config.finish();
        QCOMPARE(x, 5);
        QCOMPARE(name, std::string("hello world"));
        QVERIFY(!flag);
    }

    void overrideErrorsNameTheFlag() {
        auto config = ConfigReader::fromString("[a]\nx = 1\n", "t.toml");
        config.applyOverride("a.x=many");
        config.applyOverride("a.typo=1");
        int x = 0;
        QCOMPARE(errorOf([&] { config.read("a.x", x); }),
                 std::string("--set key 'a.x' must be an integer"));
        QCOMPARE(errorOf([&] { config.finish(); }),
                 std::string("--set key 'a.typo' is not a known setting"));
    }

    void malformedOverrideIsAnError() {
        auto config = ConfigReader::empty("defaults");
        QVERIFY(errorOf([&] { config.applyOverride("novalue"); }).find("expected key=value") !=
                std::string::npos);
    }

    // `data = 3` then `--set data.shards=x` must not silently replace the value with a table.
    void overrideThroughAValueIsAnError() {
        auto config = ConfigReader::fromString("data = 3\n", "run.toml");
        QCOMPARE(errorOf([&] { config.applyOverride("data.shards=x"); }),
                 std::string("--set data.shards: data must be a table ([data]), not a value"));
        int data = 0;
        config.read("data", data);
        QCOMPARE(data, 3);
    }

    void outOfRangeIntegerIsAnError() {
        auto config = ConfigReader::fromString("n = -1\n", "t.toml");
        uint32_t n = 0;
        QVERIFY(errorOf([&] { config.read("n", n); }).find("key 'n' must be a non-negative") !=
                std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestConfigReader)
#include "tst_config_reader.moc"
