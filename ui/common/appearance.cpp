#include "ui/common/appearance.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace strata::ui {

namespace {

QPalette darkPalette() {
    QPalette palette;
    const QColor window(45, 45, 48), base(30, 30, 32), text(225, 225, 228);
    const QColor disabled(128, 128, 132), highlight(53, 132, 228);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, disabled);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, Qt::red);
    palette.setColor(QPalette::Link, highlight.lighter(130));
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Light, window.lighter(150));
    palette.setColor(QPalette::Midlight, window.lighter(125));
    palette.setColor(QPalette::Mid, window.lighter(110));
    palette.setColor(QPalette::Dark, base.darker(120));
    palette.setColor(QPalette::Shadow, Qt::black);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, disabled);
    return palette;
}

}  // namespace

QStringList appearances() {
    return {"system", "light", "dark"};
}

QString appearanceName(const QString& appearance) {
    if (appearance == "light") return QApplication::translate("Appearance", "Light");
    if (appearance == "dark") return QApplication::translate("Appearance", "Dark");
    return QApplication::translate("Appearance", "Follow the System");
}

QString savedAppearance() {
    QString saved = QSettings().value("ui/appearance", "system").toString();
    return appearances().contains(saved) ? saved : "system";
}

void applyAppearance(const QString& appearance) {
    // The style the platform chose at start-up, kept so "system" can go back to it.
    static const QString platformStyle = QApplication::style()->name();
    QSettings().setValue("ui/appearance", appearance);
    if (appearance == "system") {
        QApplication::setStyle(QStyleFactory::create(platformStyle));
        // A palette that sets no role resolves to the platform theme's: the desktop's scheme.
        QApplication::setPalette(QPalette());
        return;
    }
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QApplication::setPalette(appearance == "dark" ? darkPalette()
                                                  : QApplication::style()->standardPalette());
}

}  // namespace strata::ui
