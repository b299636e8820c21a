// Labeling ▸ Team…: how a team's labeling goes. Annotators: each one's labels by choice, the
// median time a label takes and when they last labeled. Agreement: Cohen's kappa of every two
// annotators over the pairs both decided. Disagreements, for the queue's owner alone (annotators
// do not see each other's labels): the pairs whose decisions differ, each with every label and
// rationale, and buttons that record the owner's decision beside the labels.
#pragma once

#include "core/store/label_queue.h"
#include "ui/common/error_reporter.h"

#include <QDialog>

#include <string>
#include <vector>

class QLabel;
class QLineEdit;
class QListWidget;
class QTableWidget;
class QTextBrowser;

namespace strata::ui {

class ReviewDialog : public QDialog {
    Q_OBJECT

public:
    // `reviewer`: who looks; the disagreements are theirs to decide when they own the queue.
    ReviewDialog(store::LabelQueue& queue, std::string reviewer, QWidget* parent = nullptr);

    // Records the reviewer's decision on the disagreement shown; false (the reason shown) when
    // the queue refuses it.
    bool decide(store::Choice choice);
    // Re-reads everything from the queue.
    void reload();

private:
    void showDisagreement(int row);

    store::LabelQueue& m_queue;
    std::string m_reviewer;
    QTableWidget* m_annotators;
    QTableWidget* m_agreements;
    QListWidget* m_disagreementList;
    QTextBrowser* m_disagreement;
    QLineEdit* m_note;
    QLabel* m_message;
    ErrorReporter m_errors;
    std::vector<store::Disagreement> m_disagreements;
};

}  // namespace strata::ui
