// strata: the studio. Opens the workspace given with --workspace, else the last one, else the
// sample workspace; everything else happens in the window, which also shows what escaped a
// handler (see StudioApplication).
#include "core/common/workspace_paths.h"
#include "ui/common/appearance.h"
#include "ui/common/language.h"
#include "ui/common/studio_application.h"
#include "ui/main_window.h"

#include <QCommandLineParser>
#include <QLocale>
#include <QSettings>

#include <filesystem>

int main(int argc, char** argv) {
    strata::ui::StudioApplication app(argc, argv);
    QApplication::setOrganizationName("Strata");
    QApplication::setApplicationName("strata");
    QApplication::setApplicationVersion(STRATA_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Strata: a studio for training language models."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption workspace(
        {"w", "workspace"},
        QApplication::translate("main",
                                "The workspace to open: a folder, or ssh://[user@]host[:port]/path "
                                "on another host."),
        QApplication::translate("main", "DIR"));
    parser.addOption(workspace);
    QCommandLineOption language(
        "lang", QApplication::translate("main", "The interface language (en, zh_CN)."),
        QApplication::translate("main", "CODE"));
    parser.addOption(language);
    parser.process(app);

    // --lang, else the language chosen in Settings ▸ Language, else the system's when translated.
    QString code = parser.value(language);
    if (code.isEmpty()) code = QSettings().value("ui/language").toString();
    if (code.isEmpty() && strata::ui::availableLanguages().contains(QLocale::system().name()))
        code = QLocale::system().name();
    if (!strata::ui::installLanguage(app, code))
        qWarning("strata: no translation for the language '%s'", qPrintable(code));

    strata::ui::applyAppearance(strata::ui::savedAppearance());

    QString folder = parser.value(workspace);
    strata::ui::MainWindow window(
        std::filesystem::path(QApplication::applicationDirPath().toStdString()) / "strata-cli");
    QObject::connect(&app, &strata::ui::StudioApplication::errorEscaped, &window,
                     &strata::ui::MainWindow::reportError);
    // A workspace of another host opens in a window of its own, in front of the main window on
    // the last local workspace.
    const QString remote = folder.startsWith("ssh://") ? folder : QString();
    if (!remote.isEmpty()) folder.clear();
    if (folder.isEmpty()) folder = QSettings().value("workspace/last").toString();
    if (folder.isEmpty())
        folder = QString::fromStdString(strata::common::defaultWorkspace().string());

    window.openWorkspace(folder.toStdString());
    window.show();
    if (!remote.isEmpty()) window.openRemoteWorkspace(remote);  // the banner says why it cannot
    return QApplication::exec();
}
