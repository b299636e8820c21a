#include "ui/train/run_session.h"

#include <QMetaObject>

namespace strata::ui {

RunSession::RunSession(std::unique_ptr<RunDriver> driver, QObject* parent)
    : QObject(parent), m_driver(std::move(driver)) {}

RunSession::~RunSession() {
    detach();
}

void RunSession::start(const proto::RunSpec& spec) {
    m_active = true;
    m_threads.start([this, spec] {
        try {
            m_runId = m_driver->start(spec);
        } catch (const std::exception& error) {
            m_active = false;
            QMetaObject::invokeMethod(
                this, [this, message = QString::fromUtf8(error.what())] { emit failed(message); });
            return;
        }
        QMetaObject::invokeMethod(this, [this, id = qint64(m_runId)] { emit started(id); });
        // A stop (or pause) asked for while the run was starting goes out now.
        if (int kind = m_pendingControl.exchange(-1); kind >= 0)
            sendControl(proto::RequestKind(kind));
        followLoop();
    });
}

void RunSession::followLoop() {
    try {
        store::RunState state = m_driver->follow(
            m_runId, [this] { return !m_stop; },
            [this](const std::string& text) {
                QMetaObject::invokeMethod(
                    this, [this, message = QString::fromStdString(text)] { emit notice(message); });
            });
        m_active = false;
        QMetaObject::invokeMethod(this, [this, state] { emit ended(int(state)); });
    } catch (const std::exception& error) {
        m_active = false;
        QMetaObject::invokeMethod(
            this, [this, message = QString::fromUtf8(error.what())] { emit failed(message); });
    }
}

void RunSession::control(proto::RequestKind kind) {
    if (m_runId == 0) {
        // Still starting: the session thread sends it once the run has an id. Whoever takes
        // the request from m_pendingControl sends it, so it goes out exactly once.
        m_pendingControl = int(kind);
        if (m_runId == 0) return;
        int pending = m_pendingControl.exchange(-1);
        if (pending < 0) return;
    }
    m_threads.start([this, kind] { sendControl(kind); });
}

void RunSession::sendControl(proto::RequestKind kind) {
    try {
        m_driver->control(m_runId, kind);
    } catch (const std::exception& error) {
        QMetaObject::invokeMethod(
            this, [this, message = QString::fromUtf8(error.what())] { emit failed(message); });
    }
}

void RunSession::detach() {
    m_stop = true;
}

void RunSession::letGo() {
    detach();
    m_threads.releaseOwner();
}

}  // namespace strata::ui
