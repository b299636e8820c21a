// The error reporter that every page's slots and timers run through: an exception ends the work
// and its message is shown and logged instead of leaving the slot; a message that repeats (a
// timer against a broken history) is logged once, and again after a success in between; work
// nested in other work keeps the outer work's failure news.
#include "ui/common/error_reporter.h"

#include <QtTest>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <stdexcept>

using strata::ui::ErrorReporter;

class TestErrorReporter : public QObject {
    Q_OBJECT

    std::ostringstream m_log;
    std::shared_ptr<spdlog::logger> m_previous;

    int loggedLines() const {
        const std::string text = m_log.str();
        return int(std::count(text.begin(), text.end(), '\n'));
    }

private slots:
    void initTestCase() {
        m_previous = spdlog::default_logger();
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(m_log);
        sink->set_pattern("%l %v");
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    }
    void cleanupTestCase() { spdlog::set_default_logger(m_previous); }
    void init() { m_log.str({}); }

    void anErrorIsShownAndLoggedInsteadOfThrown() {
        QStringList shown;
        ErrorReporter errors([&](const QString& message) { shown << message; });
        bool after = false;
        QVERIFY(!errors.run([&] {
            throw std::runtime_error("strata.db: database disk image is malformed");
            after = true;
        }));
        QVERIFY(!after);
        QCOMPARE(shown, QStringList{"strata.db: database disk image is malformed"});
        QCOMPARE(QString::fromStdString(m_log.str()),
                 QString("error strata.db: database disk image is malformed\n"));

        QVERIFY(!errors.run([] { throw 42; }));
        QCOMPARE(shown.last(), QString("an error of an unknown kind"));

        QVERIFY(errors.run([&] { after = true; }));
        QVERIFY(after);
        QCOMPARE(shown.size(), 2);
    }

    void theMessageSaysWhatFailed() {
        QString shown;
        ErrorReporter errors([&](const QString& message) { shown = message; });
        errors.run([] { throw std::runtime_error("locked"); }, "Cannot read the run history: %1");
        QCOMPARE(shown, QString("Cannot read the run history: locked"));
        QVERIFY(m_log.str().find("Cannot read the run history: locked") != std::string::npos);
    }

    void aRepeatedErrorIsLoggedOnce() {
        int numShown = 0;
        ErrorReporter errors([&](const QString&) { ++numShown; });
        auto fail = [] { throw std::runtime_error("database is locked"); };
        for (int tick = 0; tick < 5; ++tick)
            errors.run(fail);
        QCOMPARE(numShown, 5);
        QCOMPARE(loggedLines(), 1);

        errors.run(fail);
        errors.run([] { throw std::runtime_error("disk I/O error"); });
        QCOMPARE(loggedLines(), 2);  // another message is news

        errors.run([] {});  // the history reads again
        errors.run([] { throw std::runtime_error("disk I/O error"); });
        QCOMPARE(loggedLines(), 3);
    }

    void workThatSucceedsInsideFailingWorkKeepsTheFailureQuiet() {
        ErrorReporter errors([](const QString&) {});
        auto refresh = [&] {
            errors.run([] {});  // a part that reads fine
            throw std::runtime_error("database is locked");
        };
        errors.run(refresh);
        errors.run(refresh);
        errors.run(refresh);
        QCOMPARE(loggedLines(), 1);
    }
};

QTEST_GUILESS_MAIN(TestErrorReporter)
#include "tst_error_reporter.moc"
