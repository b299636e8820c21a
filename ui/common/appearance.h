// The studio's appearance (Settings ▸ Appearance): "system" keeps the palette the desktop's
// platform theme gives Qt, so light and dark follow the system; "light" and "dark" set the Fusion
// style with a palette of that kind. Charts follow the palette (widgets/chart_palette.h). Saved
// in the settings as ui/appearance.
#pragma once

#include <QString>
#include <QStringList>

namespace strata::ui {

// "system", "light", "dark".
QStringList appearances();
QString appearanceName(const QString& appearance);  // translated, for the menu
QString savedAppearance();
// Applies `appearance` to the running application (every window repaints) and saves it.
void applyAppearance(const QString& appearance);

}  // namespace strata::ui
