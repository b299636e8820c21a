#include "widgets/empty_state.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace strata::widgets {

EmptyState::EmptyState(QWidget* view, const QString& title, const QString& text, QWidget* parent)
    : QStackedWidget(parent),
      m_view(view),
      m_placeholder(new QWidget),
      m_title(new QLabel(title)),
      m_text(new QLabel(text)),
      m_actions(new QHBoxLayout) {
    m_placeholder->setObjectName("placeholder");
    m_title->setObjectName("placeholderTitle");
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_text->setObjectName("placeholderText");
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setMaximumWidth(520);
    m_text->setForegroundRole(QPalette::PlaceholderText);
    m_actions->addStretch();
    m_actions->addStretch();

    auto* layout = new QVBoxLayout(m_placeholder);
    layout->addStretch();
    layout->addWidget(m_title);
    layout->addWidget(m_text, 0, Qt::AlignHCenter);
    layout->addSpacing(8);
    layout->addLayout(m_actions);
    layout->addStretch();
    addWidget(m_view);
    addWidget(m_placeholder);
    setCurrentWidget(m_view);
}

QPushButton* EmptyState::addAction(const QString& text) {
    auto* button = new QPushButton(text);
    button->setAutoDefault(false);
    // Before the closing stretch, so the buttons stay centered together.
    m_actions->insertWidget(m_actions->count() - 1, button);
    return button;
}

void EmptyState::setText(const QString& title, const QString& text) {
    m_title->setText(title);
    m_text->setText(text);
}

QString EmptyState::title() const {
    return m_title->text();
}

QString EmptyState::text() const {
    return m_text->text();
}

void EmptyState::setEmpty(bool empty) {
    setCurrentWidget(empty ? m_placeholder : m_view);
}

bool EmptyState::showsPlaceholder() const {
    return currentWidget() == m_placeholder;
}

}  // namespace strata::widgets
