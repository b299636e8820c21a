// Background threads and the sessions that own them: a page letting go of a session that is still
// busy goes on at once, the session stays with the application object until its threads have
// ended and then deletes itself, and its signals no longer reach the page; a BackgroundTask
// reports its end on the GUI thread.
#include "ui/common/background_threads.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPointer>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <thread>

using namespace strata::ui;

// A session whose one thread works until told to stop, then takes `stopDelay` to wind up.
class SlowSession : public QObject {
    Q_OBJECT

public:
    explicit SlowSession(std::chrono::milliseconds stopDelay) : m_stopDelay(stopDelay) {
        m_threads.start([this] {
            while (!m_stop)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            std::this_thread::sleep_for(m_stopDelay);
            QMetaObject::invokeMethod(this, [this] { emit stopped(); });
        });
    }
    ~SlowSession() override { m_stop = true; }
    void letGo() {
        m_stop = true;
        m_threads.releaseOwner();
    }

signals:
    void stopped();

private:
    std::chrono::milliseconds m_stopDelay;
    std::atomic<bool> m_stop{false};
    BackgroundThreads m_threads{this};
};

class TestBackgroundThreads : public QObject {
    Q_OBJECT

private slots:
    void lettingGoDoesNotWait() {
        QPointer<SlowSession> session;
        int stoppedSeen = 0;
        QElapsedTimer clock;
        {
            SessionPtr<SlowSession> owned(new SlowSession(std::chrono::milliseconds(700)));
            session = owned.get();
            connect(session, &SlowSession::stopped, this, [&] { ++stoppedSeen; });
            clock.start();
        }  // the page goes
        QVERIFY2(clock.elapsed() < 300, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(session);  // still winding up, with the application
        QCOMPARE(session->parent(), QCoreApplication::instance());
        QTRY_VERIFY_WITH_TIMEOUT(!session, 5000);
        QVERIFY(clock.elapsed() >= 700);
        QCOMPARE(stoppedSeen, 0);  // cut from the page it no longer works for
    }

    void anIdleSessionGoesAtOnce() {
        QPointer<SlowSession> session;
        {
            SessionPtr<SlowSession> owned(new SlowSession(std::chrono::milliseconds(0)));
            session = owned.get();
        }
        QTRY_VERIFY_WITH_TIMEOUT(!session, 5000);
    }

    void deletingASessionJoinsItsThreads() {
        // What the application object does at exit with sessions still winding up.
        auto* session = new SlowSession(std::chrono::milliseconds(300));
        QElapsedTimer clock;
        clock.start();
        delete session;
        QVERIFY(clock.elapsed() >= 300);
    }

    void aTaskFinishesOnTheGuiThread() {
        BackgroundTask task;
        std::atomic<bool> worked{false};
        Qt::HANDLE finishedOn = nullptr;
        connect(&task, &BackgroundTask::finished, this,
                [&] { finishedOn = QThread::currentThreadId(); });
        task.start([&] { worked = true; });
        QTRY_VERIFY(finishedOn != nullptr);
        QVERIFY(worked);
        QCOMPARE(finishedOn, QThread::currentThreadId());
    }
};

QTEST_GUILESS_MAIN(TestBackgroundThreads)
#include "tst_background_threads.moc"
