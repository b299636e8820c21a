#include "ui/common/icons.h"

#include <QString>

// Outside any namespace, as Q_INIT_RESOURCE requires.
static void registerIconResources() {
    Q_INIT_RESOURCE(icons);
}

namespace strata::ui {

const char* studioIconName(StudioIcon icon) {
    switch (icon) {
        case StudioIcon::Home:
            return "go-home";
        case StudioIcon::Data:
            return "folder";
        case StudioIcon::Tokenizer:
            return "format-text";
        case StudioIcon::Model:
            return "applications-science";
        case StudioIcon::Train:
            return "media-playback-start";
        case StudioIcon::Labeling:
            return "emblem-labels";
        case StudioIcon::Runs:
            return "view-statistics";
        case StudioIcon::Playground:
            return "mail-message";
        case StudioIcon::Open:
            return "document-open";
        case StudioIcon::Import:
            return "document-import";
        case StudioIcon::Export:
            return "document-export";
        case StudioIcon::Refresh:
            return "view-refresh";
        case StudioIcon::Stop:
            return "process-stop";
        case StudioIcon::FineTune:
            return "tools-wizard";
    }
    return "";
}

QIcon studioIcon(StudioIcon icon) {
    static const bool registered = (registerIconResources(), true);
    (void)registered;
    const QString name = QString::fromLatin1(studioIconName(icon));
    return QIcon::fromTheme(name, QIcon(":/icons/" + name + ".svg"));
}

}  // namespace strata::ui
