// One run as the studio drives it, off the GUI thread: starting it through a worker (which takes a
// second or more: the worker loads LibTorch), following it with reconnects, and steering it, as
// its RunDriver does: into this machine's run history, or through a remote workspace's host. The
// session thread writes through its own connection to the history; the pages read through theirs
// (WAL lets them), so the GUI thread never waits on a worker or a write. Signals arrive on the GUI
// thread (queued). The page holds it in a SessionPtr: letting go of it never waits for a worker
// that is still starting or answering.
#pragma once

#include "core/proto/protocol.h"
#include "ui/common/background_threads.h"
#include "ui/train/run_driver.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace strata::ui {

class RunSession : public QObject {
    Q_OBJECT

public:
    explicit RunSession(std::unique_ptr<RunDriver> driver, QObject* parent = nullptr);
    // Stops following (the run goes on) and waits for the session's threads.
    ~RunSession() override;

    // Starts `spec` and follows it until it ends; one run per session.
    void start(const proto::RunSpec& spec);
    // Pause, Resume or Stop, sent on a thread of its own; asked before the run has started, it
    // is sent as soon as it has.
    void control(proto::RequestKind kind);
    // Stops following; the run keeps training.
    void detach();
    // Stops following and lets go of the session: it deletes itself once its threads have ended.
    void letGo();
    int64_t runId() const { return m_runId; }
    bool active() const { return m_active; }

signals:
    void started(qint64 runId);
    void ended(int state);  // a store::RunState
    void failed(const QString& message);
    void notice(const QString& message);

private:
    void followLoop();
    void sendControl(proto::RequestKind kind);

    std::unique_ptr<RunDriver> m_driver;
    std::atomic<int64_t> m_runId{0};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_active{false};
    std::atomic<int> m_pendingControl{-1};  // a RequestKind asked for before the run had an id
    BackgroundThreads m_threads{this};      // the session thread and one per control request
};

}  // namespace strata::ui
