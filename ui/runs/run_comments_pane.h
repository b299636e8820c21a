// The Runs page's Comments tab: what reviewers said about the selected run, each comment with its
// author and time, oldest first, and a box to add one as whoever the catalog is reached as (the
// login here, the SSH login on a remote workspace). Comments are the run history's
// (RunCatalog::addComment); this pane only draws and writes them.
#pragma once

#include "core/store/run_catalog.h"
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
    RunCommentsPane(store::RunCatalog& runs, ErrorReporter& errors, QWidget* parent = nullptr);

    // The run whose comments to show; none clears the pane and disables adding.
    void showRun(std::optional<int64_t> runId);
    // Adds the box's text as a comment on the shown run, then clears the box.
    void addComment();

private:
    store::RunCatalog& m_catalog;
    ErrorReporter& m_errors;
    std::optional<int64_t> m_runId;
    QTextBrowser* m_comments;
    QPlainTextEdit* m_editor;
    QPushButton* m_add;
};

}  // namespace strata::ui
