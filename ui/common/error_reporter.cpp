#include "ui/common/error_reporter.h"

#include <QCoreApplication>

#include <spdlog/spdlog.h>

namespace strata::ui {

ErrorReporter::ErrorReporter(Show show) : m_show(std::move(show)) {}

void ErrorReporter::report(const QString& message) {
    ++m_numReported;
    if (message != m_lastLogged) spdlog::error("{}", message.toStdString());
    m_lastLogged = message;
    m_show(message);
}

QString ErrorReporter::unknownErrorText() {
    return QCoreApplication::translate("ErrorReporter", "an error of an unknown kind");
}

}  // namespace strata::ui
