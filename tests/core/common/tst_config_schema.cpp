// describeConfig and the display-form round trip the studio's settings forms rely on: keys in
// file order with their comments and kinds, only changed values written back, and one-line
// errors naming the key for values of the wrong kind. The clean config's own default text must
// describe, and what a form writes must read back through readCleanConfig.
#include "core/cleaning/clean_config.h"
#include "core/common/config_reader.h"
#include "core/common/config_schema.h"
#include "tests/error_of.h"

#include <QtTest>

using namespace strata::common;

namespace {

constexpr const char* kDefaults = R"(# A header that belongs to no key.

[stage]
# What the stage does.
enabled = true
# The floor.
min = 5
ratio = 0.5

[names]
label = "x"
# Allowed ones.
allowed = ["a", "b"]
)";

}  // namespace

class TestConfigSchema : public QObject {
    Q_OBJECT

private slots:
    void describesTablesKeysAndCommentsInFileOrder() {
        std::vector<ConfigTable> schema = describeConfig(kDefaults);
        QCOMPARE(schema.size(), size_t(2));
        QCOMPARE(schema[0].name, std::string("stage"));
        QCOMPARE(schema[0].comment, std::string("What the stage does."));
        QCOMPARE(schema[0].fields.size(), size_t(3));
        QCOMPARE(schema[0].fields[0].key, std::string("stage.enabled"));
        QVERIFY(schema[0].fields[0].comment.empty());
        QCOMPARE(schema[0].fields[1].key, std::string("stage.min"));
        QCOMPARE(schema[0].fields[1].comment, std::string("The floor."));
        QCOMPARE(int(schema[0].fields[1].kind), int(ConfigValueKind::Integer));
        QCOMPARE(schema[0].fields[2].defaultValue, std::string("0.5"));
        QCOMPARE(schema[1].fields[0].key, std::string("names.label"));
        QCOMPARE(int(schema[1].fields[1].kind), int(ConfigValueKind::StringList));
        QCOMPARE(schema[1].fields[1].defaultValue, std::string("a, b"));
        QCOMPARE(schema[1].fields[1].comment, std::string("Allowed ones."));
    }

    void writesOnlyChangedValues() {
        std::vector<ConfigTable> schema = describeConfig(kDefaults);
        ConfigValues values = defaultValues(schema);
        QCOMPARE(writeConfigValues(schema, values, ""), std::string());
        values["stage.min"] = " 7 ";
        values["stage.ratio"] = "1";
        values["names.allowed"] = "c,  d ,";
        std::string text = writeConfigValues(schema, values, "# mine\n");
        QCOMPARE(text, std::string("# mine\n\n[stage]\nmin = 7\nratio = 1.0\n\n[names]\n"
                                   "allowed = [\"c\", \"d\"]\n"));
        ConfigValues back = readConfigValues(schema, text, "mine.toml");
        QCOMPARE(back.at("stage.min"), std::string("7"));
        QCOMPARE(back.at("stage.ratio"), std::string("1.0"));
        QCOMPARE(back.at("names.allowed"), std::string("c, d"));
        QCOMPARE(back.at("names.label"), std::string("x"));
    }

    void valuesOfTheWrongKindNameTheKey() {
        std::vector<ConfigTable> schema = describeConfig(kDefaults);
        ConfigValues values = defaultValues(schema);
        values["stage.min"] = "ten";
        QCOMPARE(errorOf([&] { writeConfigValues(schema, values, ""); }),
                 QString("stage.min: 'ten' is not a whole number"));
        values = defaultValues(schema);
        values["stage.ratio"] = "0.5x";
        QCOMPARE(errorOf([&] { writeConfigValues(schema, values, ""); }),
                 QString("stage.ratio: '0.5x' is not a number"));
    }

    void badFilesNameTheLineAndKey() {
        std::vector<ConfigTable> schema = describeConfig(kDefaults);
        QCOMPARE(errorOf([&] { readConfigValues(schema, "[stage]\nmni = 3\n", "c.toml"); }),
                 QString("c.toml:2: unknown key 'stage.mni'"));
        QCOMPARE(errorOf([&] { readConfigValues(schema, "[stage]\nmin = \"3\"\n", "c.toml"); }),
                 QString("c.toml:2: key 'stage.min' must be a whole number"));
        QVERIFY(errorOf([&] {
                    readConfigValues(schema, "[stage\n", "c.toml");
                }).startsWith("c.toml:1: "));
        // A list key given one value, not a list.
        QCOMPARE(errorOf([&] { readConfigValues(schema, "[names]\nallowed = \"a\"\n", "c.toml"); }),
                 QString("c.toml:2: key 'names.allowed' must be a list of strings"));
        QCOMPARE(readConfigValues(schema, "[names]\nallowed = []\n", "c.toml").at("names.allowed"),
                 std::string());
    }

    void theCleanConfigRoundTripsThroughAForm() {
        std::vector<ConfigTable> schema =
            describeConfig(strata::cleaning::defaultCleanConfigText());
        QVERIFY(schema.size() >= 10);
        ConfigValues values = defaultValues(schema);
        values["words.min"] = "8";
        values["script.allowed"] = "latin, han";
        std::string text = writeConfigValues(schema, values, "");
        ConfigReader reader = ConfigReader::fromString(text, "form");
        strata::cleaning::CleanConfig config = strata::cleaning::readCleanConfig(reader);
        QCOMPARE(config.words.minWords, int64_t(8));
        QCOMPARE(config.script.allowed.size(), size_t(2));
    }
};

QTEST_APPLESS_MAIN(TestConfigSchema)
#include "tst_config_schema.moc"
