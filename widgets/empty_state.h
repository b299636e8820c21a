// A view and, in its place while there is nothing in it, a placeholder that says what the view
// is for and how to fill it: a title, one sentence and the actions that fill it as buttons. Pages
// wrap the table or pane that would otherwise show blank and say when it is empty; the view is
// not touched, so a page keeps filling it as before. Knows nothing of what the view shows.
#pragma once

#include <QStackedWidget>

class QLabel;
class QPushButton;
class QHBoxLayout;

namespace strata::widgets {

class EmptyState : public QStackedWidget {
    Q_OBJECT

public:
    // Takes `view` as its child; the view shows until setEmpty(true).
    EmptyState(QWidget* view, const QString& title, const QString& text, QWidget* parent = nullptr);

    // Adds a button under the sentence, after those added before; connect to its clicked signal.
    QPushButton* addAction(const QString& text);
    void setText(const QString& title, const QString& text);
    QString title() const;
    QString text() const;

    // Shows the placeholder (true) or the view (false).
    void setEmpty(bool empty);
    bool showsPlaceholder() const;
    QWidget* view() const { return m_view; }

private:
    QWidget* m_view;
    QWidget* m_placeholder;
    QLabel* m_title;
    QLabel* m_text;
    QHBoxLayout* m_actions;
};

}  // namespace strata::widgets
