// The studio's languages: English (the source strings) and Simplified Chinese, compiled from
// translations/*.ts into the binary. The choice is `strata --lang zh_CN`, else the one saved in
// the settings (Settings ▸ Language), else the system's.
#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace strata::ui {

// The language codes there are translations for, English first.
QStringList availableLanguages();
// "English", "简体中文": each language in its own words.
QString languageName(const QString& code);
// Installs the translators for `code` ("en" or empty: none) into the application; false when
// there is no translation for it.
bool installLanguage(QCoreApplication& app, const QString& code);

}  // namespace strata::ui
