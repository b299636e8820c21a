// ArgParser: the forms strata-cli accepts, and one-line errors for the ones it does not.
#include "app/cli/arg_parser.h"
#include "core/common/error.h"

#include <QtTest>

using strata::app::ArgParser;

namespace {

ArgParser makeParser() {
    ArgParser parser("strata-cli clean", "INPUT... -o OUT", "Cleans text.");
    parser.option("output", 'o', "OUT", "output file")
        .option("set", 0, "KEY=VALUE", "override a config key")
        .option("jobs", 'j', "N", "threads")
        .flag("strict", 0, "stop at the first malformed line")
        .positional("INPUT", 1, -1, "input files");
    return parser;
}

std::string errorOf(const std::vector<std::string>& args) {
    try {
        makeParser().parse(args);
    } catch (const strata::common::Error& error) {
        return error.what();
    }
    return {};
}

}  // namespace

class TestArgParser : public QObject {
    Q_OBJECT

private slots:
    void parsesEveryForm() {
        auto args = makeParser().parse({"a.txt", "-o", "out.jsonl", "--set=x=1", "--set", "y=2",
                                        "--strict", "b.txt", "-j", "4"});
        QCOMPARE(args.positionals(), (std::vector<std::string>{"a.txt", "b.txt"}));
        QCOMPARE(args.value("output"), std::string("out.jsonl"));
        QCOMPARE(args.values("set"), (std::vector<std::string>{"x=1", "y=2"}));
        QVERIFY(args.flag("strict"));
        QCOMPARE(args.intValue("jobs", 1), int64_t(4));
        QCOMPARE(args.intValue("missing", 9), int64_t(9));
    }

    void doubleDashEndsOptions() {
        auto args = makeParser().parse({"--", "--strict"});
        QCOMPARE(args.positionals(), std::vector<std::string>{"--strict"});
        QVERIFY(!args.flag("strict"));
    }

    void helpSkipsValidation() {
        auto parser = makeParser();
        QVERIFY(parser.parse({"--help"}).helpRequested);
        QVERIFY(parser.help().find("--output OUT") != std::string::npos);
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << QStringList{"a", "--nope"}
                                 << "unknown option '--nope' (see --help)";
        QTest::newRow("missing value") << QStringList{"a", "-o"} << "--output needs a value (OUT)";
        QTest::newRow("missing positional")
            << QStringList{"-o", "x"} << "missing INPUT (see --help)";
        QTest::newRow("flag with value")
            << QStringList{"a", "--strict=1"} << "--strict takes no value";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> list;
        for (const QString& arg : args)
            list.push_back(arg.toStdString());
        QCOMPARE(QString::fromStdString(errorOf(list)), message);
    }

    void badIntegerNamesOption() {
        auto args = makeParser().parse({"a", "-j", "many"});
        try {
            args.intValue("jobs", 1);
            QFAIL("expected an error");
        } catch (const strata::common::Error& error) {
            QCOMPARE(std::string(error.what()),
                     std::string("--jobs expects an integer, got 'many'"));
        }
    }
};

QTEST_APPLESS_MAIN(TestArgParser)
#include "tst_arg_parser.moc"
