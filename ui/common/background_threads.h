// The threads a session object runs its slow work on (starting a worker, following a run,
// generating, sampling files), and how the page that owns the session lets go of it without
// waiting: releaseOwner() cuts the session's signals, hands it to the application object and
// deletes it once every thread has ended. The GUI thread thus never joins background work when a
// workspace is switched or the window closes; only the studio's exit, after the window has gone,
// waits for what still runs, when the application object deletes its children. A page holds its
// sessions in a SessionPtr, which lets go this way instead of deleting; BackgroundTask is the
// session for one function whose result the page collects when it ends.
#pragma once

#include <QObject>

#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace strata::ui {

class BackgroundThreads {
public:
    // `owner`: the session the threads work for; declare this member last in it, so it is
    // destroyed (joining the threads) before the members the threads use.
    explicit BackgroundThreads(QObject* owner);
    // Joins every thread.
    ~BackgroundThreads();
    BackgroundThreads(const BackgroundThreads&) = delete;
    BackgroundThreads& operator=(const BackgroundThreads&) = delete;

    // Runs `work` on a thread of its own; `work` must not throw.
    void start(std::function<void()> work);
    // Disconnects the owner's signals, makes it a child of the application object and deletes it
    // once its threads have ended (at once when none runs). Ask the work to stop first.
    void releaseOwner();

private:
    // On the owner's thread, after each thread's work has returned.
    void threadEnded();

    QObject* m_owner;
    std::vector<std::thread> m_threads;
    int m_numRunning = 0;
    bool m_released = false;
};

// Lets go of a session instead of deleting it; `Session::letGo()` asks its work to stop and calls
// BackgroundThreads::releaseOwner().
struct LetGo {
    template <typename Session>
    void operator()(Session* session) const {
        session->letGo();
    }
};
template <typename Session>
using SessionPtr = std::unique_ptr<Session, LetGo>;

// One function off the GUI thread (a cleaning preview, a connection test); finished() follows on
// the GUI thread. The function must hold only what it owns (copies, shared pointers): the page
// that started it may be gone before it returns.
class BackgroundTask : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;

    // Runs `work`, which must not throw; one function per task.
    void start(std::function<void()> work);
    void letGo() { m_threads.releaseOwner(); }

signals:
    void finished();

private:
    BackgroundThreads m_threads{this};
};

}  // namespace strata::ui
