#include "ui/common/studio_application.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <exception>

namespace strata::ui {

namespace {

[[noreturn]] void logAndAbort() {
    std::string what = "no exception";
    if (std::exception_ptr current = std::current_exception()) {
        try {
            std::rethrow_exception(current);
        } catch (const std::exception& error) {
            what = error.what();
        } catch (...) {
            what = "an exception of an unknown kind";
        }
    }
    spdlog::critical("the studio stops on an error nothing handled: {}", what);
    spdlog::default_logger()->flush();
    std::abort();
}

}  // namespace

StudioApplication::StudioApplication(int& argc, char** argv) : QApplication(argc, argv) {
    std::set_terminate(logAndAbort);
}

bool StudioApplication::notify(QObject* receiver, QEvent* event) {
    try {
        return QApplication::notify(receiver, event);
    } catch (const std::exception& error) {
        emit errorEscaped(tr("Unexpected error: %1").arg(QString::fromUtf8(error.what())));
    } catch (...) {
        emit errorEscaped(tr("Unexpected error of an unknown kind"));
    }
    return false;
}

}  // namespace strata::ui
