// What the studio's dialogs that run one strata-cli command share (Import Model…, Export…): a
// form on top, then a progress bar, a message line and the button that starts the command as a
// CliJob. The bar follows the command's progress lines, and is a busy indicator while it prints
// none; on failure the message line shows the command's one-line error and the form can be
// changed and the command tried again. Closing the dialog while the command runs kills it. This
// is not where commands are chosen: each dialog builds its own arguments.
#pragma once

#include <QDialog>
#include <QStringList>

#include <filesystem>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QProgressBar;
class QPushButton;

namespace strata::ui {

class CliJob;

class CliJobDialog : public QDialog {
    Q_OBJECT

public:
    // `localCli`: the strata-cli to run; `actionText`: the start button's text.
    CliJobDialog(std::filesystem::path localCli, const QString& actionText,
                 QWidget* parent = nullptr);
    ~CliJobDialog() override;

    bool running() const;
    QString messageText() const;
    // The arguments of the last command started (for the log and the tests).
    QStringList lastArguments() const { return m_arguments; }

protected:
    QFormLayout* form() const { return m_form; }
    QPushButton* actionButton() const { return m_action; }
    // Starts `arguments`, saying `startText` in the message line until the command says more.
    void runCommand(const QStringList& arguments, const QString& startText);
    void showMessage(const QString& text);
    // The command ended: `lastLine` is its last output line (its one-line error on failure).
    // The default shows the line.
    virtual void commandFinished(bool ok, const QString& lastLine);
    void done(int result) override;

private:
    void setRunning(bool running);

    CliJob* m_job;
    QWidget* m_formArea;  // disabled while the command runs
    QFormLayout* m_form;
    QProgressBar* m_progress;
    QLabel* m_message;
    QPushButton* m_action;
    QDialogButtonBox* m_buttons;
    QStringList m_arguments;
};

}  // namespace strata::ui
