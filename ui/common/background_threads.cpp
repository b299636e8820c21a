#include "ui/common/background_threads.h"

#include <QCoreApplication>
#include <QMetaObject>

namespace strata::ui {

BackgroundThreads::BackgroundThreads(QObject* owner) : m_owner(owner) {}

BackgroundThreads::~BackgroundThreads() {
    for (std::thread& thread : m_threads)
        if (thread.joinable()) thread.join();
}

void BackgroundThreads::start(std::function<void()> work) {
    ++m_numRunning;
    m_threads.emplace_back([this, work = std::move(work)] {
        work();
        // Posted to the owner: should the owner go first, the event goes with it.
        QMetaObject::invokeMethod(m_owner, [this] { threadEnded(); });
    });
}

void BackgroundThreads::releaseOwner() {
    m_owner->disconnect();
    m_owner->setParent(QCoreApplication::instance());
    m_released = true;
    if (m_numRunning == 0) m_owner->deleteLater();
}

void BackgroundThreads::threadEnded() {
    --m_numRunning;
    if (m_released && m_numRunning == 0) m_owner->deleteLater();
}

void BackgroundTask::start(std::function<void()> work) {
    m_threads.start([this, work = std::move(work)] {
        work();
        QMetaObject::invokeMethod(this, [this] { emit finished(); });
    });
}

}  // namespace strata::ui
