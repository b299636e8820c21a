#include "ui/playground/generation_session.h"

#include "core/proto/generation_client.h"

#include <QMetaObject>

namespace strata::ui {

GenerationSession::GenerationSession(proto::WorkerTarget target, proto::GenerateSpec spec,
                                     QObject* parent)
    : QObject(parent), m_target(std::move(target)), m_spec(std::move(spec)) {}

GenerationSession::~GenerationSession() {
    cancel();
}

void GenerationSession::letGo() {
    cancel();
    m_threads.releaseOwner();
}

void GenerationSession::start() {
    m_threads.start([this] {
        try {
            proto::WorkerConnection connection(m_target);
            proto::generateText(
                connection, m_spec,
                [this](const proto::GeneratedPiece& generated) {
                    if (generated.done)
                        QMetaObject::invokeMethod(this, [this, generated] {
                            emit promptDone(generated.prompt, generated.tokens, generated.seconds);
                        });
                    else
                        QMetaObject::invokeMethod(this,
                                                  [this, prompt = generated.prompt,
                                                   text = QString::fromStdString(generated.text)] {
                                                      emit piece(prompt, text);
                                                  });
                },
                [this] { return !m_cancel; });
            QMetaObject::invokeMethod(this, [this] { emit finished(); });
        } catch (const std::exception& error) {
            QMetaObject::invokeMethod(
                this, [this, message = QString::fromUtf8(error.what())] { emit failed(message); });
        }
    });
}

}  // namespace strata::ui
