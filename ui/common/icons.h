// The studio's icons: the desktop theme's (QIcon::fromTheme, freedesktop icon names), so the
// page list and the main actions look like the rest of the desktop, with small SVGs shipped in
// resources/icons/ (embedded as :/icons/<name>.svg) where the theme has none. The SVGs need Qt's
// SVG plugin (Debian's libqt6svg6); without it and without a theme the actions show text only.
#pragma once

#include <QIcon>

namespace strata::ui {

// A freedesktop name with a fallback of that name in resources/icons/.
enum class StudioIcon {
    Home,        // go-home
    Data,        // folder
    Tokenizer,   // format-text
    Model,       // applications-science
    Train,       // media-playback-start
    Labeling,    // emblem-labels
    Runs,        // view-statistics
    Playground,  // mail-message
    Open,        // document-open
    Import,      // document-import
    Export,      // document-export
    Refresh,     // view-refresh
    Stop,        // process-stop
    FineTune,    // tools-wizard
};

// The icon's freedesktop name, which is also its fallback's file name.
const char* studioIconName(StudioIcon icon);
QIcon studioIcon(StudioIcon icon);

}  // namespace strata::ui
