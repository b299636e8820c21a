// The Runs page's Comments tab: what reviewers said about the selected run, each comment with its
// author and time, oldest first, and a box to add one as the login user (common::loginName).
// Comments are the run history's (RunHistory::addComment); this pane only draws and writes them.
#pragma once

#include "core/store/run_history.h"
#include "ui/common/error_reporter.h"

#include <QWidget>

#include <optional>

class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace strata::ui {

class RunCommentsPane : public QWidget {
    Q_OBJECT

public:
    // Errors from the history go to the page's `errors`.
    RunCommentsPane(store::RunHistory& history, ErrorReporter& errors, QWidget* parent = nullptr);

    // The run whose comments to show; none clears the pane and disables adding.
    void showRun(std::optional<int64_t> runId);
    // Adds the box's text as a comment on the shown run, then clears the box.
    void addComment();

private:
    store::RunHistory& m_history;
    ErrorReporter& m_errors;
    std::optional<int64_t> m_runId;
    QTextBrowser* m_comments;
    QPlainTextEdit* m_editor;
    QPushButton* m_add;
};

}  // namespace strata::ui
