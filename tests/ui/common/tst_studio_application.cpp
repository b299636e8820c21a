// The studio's last resort: an exception that escapes a timer's or a signal's handler is stopped
// in the application object and handed on as errorEscaped, and the event loop goes on (without it
// Qt would carry the exception out of the event loop and the studio would abort).
#include "ui/common/studio_application.h"

#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <stdexcept>

class TestStudioApplication : public QObject {
    Q_OBJECT

private slots:
    void anEscapedErrorIsReportedAndTheLoopGoesOn() {
        auto* app = qobject_cast<strata::ui::StudioApplication*>(QCoreApplication::instance());
        QVERIFY(app);
        QSignalSpy escaped(app, &strata::ui::StudioApplication::errorEscaped);
        QTimer::singleShot(0, app, [] { throw std::runtime_error("strata.db: disk I/O error"); });
        bool after = false;
        QTimer::singleShot(20, app, [&] { after = true; });
        QTRY_VERIFY(after);
        QCOMPARE(escaped.size(), 1);
        QCOMPARE(escaped.first().first().toString(),
                 QString("Unexpected error: strata.db: disk I/O error"));
    }
};

int main(int argc, char** argv) {
    strata::ui::StudioApplication app(argc, argv);
    TestStudioApplication test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_studio_application.moc"
