#include "ui/common/run_state_text.h"

#include <QCoreApplication>

namespace strata::ui {

QString runStateText(store::RunState state) {
    switch (state) {
        case store::RunState::Created:
            return QCoreApplication::translate("RunState", "created");
        case store::RunState::Running:
            return QCoreApplication::translate("RunState", "running");
        case store::RunState::Paused:
            return QCoreApplication::translate("RunState", "paused");
        case store::RunState::Completed:
            return QCoreApplication::translate("RunState", "completed");
        case store::RunState::Stopped:
            return QCoreApplication::translate("RunState", "stopped");
        case store::RunState::Interrupted:
            return QCoreApplication::translate("RunState", "interrupted");
        case store::RunState::Failed:
            return QCoreApplication::translate("RunState", "failed");
    }
    return {};
}

}  // namespace strata::ui
