// One generate request as the studio drives it, off the GUI thread: it starts a worker on the
// checkpoint's host (this machine's or over SSH), sends the prompts and hands every piece of text
// to the GUI thread as it is sampled (queued signals), so the window streams token by token and
// never waits on the model. The Playground and the Labeling page's pair generator use it, each
// holding it in a SessionPtr: letting go of it never waits for a worker that is still starting.
#pragma once

#include "core/proto/protocol.h"
#include "core/proto/worker_target.h"
#include "ui/common/background_threads.h"

#include <QObject>

#include <atomic>

namespace strata::ui {

class GenerationSession : public QObject {
    Q_OBJECT

public:
    GenerationSession(proto::WorkerTarget target, proto::GenerateSpec spec,
                      QObject* parent = nullptr);
    // Cancels the generation if it is under way and waits for the session thread.
    ~GenerationSession() override;

    void start();
    // Ends the generation on the worker; finished() follows.
    void cancel() { m_cancel = true; }
    // Cancels the generation and lets go of the session: it deletes itself once its thread has
    // ended.
    void letGo();

signals:
    void piece(int prompt, const QString& text);
    void promptDone(int prompt, qint64 tokens, double seconds);
    // Every prompt is done, or the generation was cancelled.
    void finished();
    // The worker could not be reached or refused, or generation failed: its one-line reason.
    void failed(const QString& message);

private:
    proto::WorkerTarget m_target;
    proto::GenerateSpec m_spec;
    std::atomic<bool> m_cancel{false};
    BackgroundThreads m_threads{this};
};

}  // namespace strata::ui
