#include "ui/common/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace strata::ui {

QStringList availableLanguages() {
    return {"en", "zh_CN"};
}

QString languageName(const QString& code) {
    if (code == "zh_CN") return QString::fromUtf8("简体中文");
    return "English";
}

bool installLanguage(QCoreApplication& app, const QString& code) {
    if (code.isEmpty() || code == "en") return true;
    auto* strings = new QTranslator(&app);
    if (!strings->load(":/i18n/strata_" + code + ".qm")) {
        delete strings;
        return false;
    }
    app.installTranslator(strings);
    // Qt's own dialogs (file choosers, message box buttons) in the same language, when the
    // system has Qt's translations.
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(code), "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    else
        delete qt;
    return true;
}

}  // namespace strata::ui
