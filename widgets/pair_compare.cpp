#include "widgets/pair_compare.h"

#include "widgets/word_diff.h"

#include <QGridLayout>
#include <QLabel>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace strata::widgets {

PairCompare::PairCompare(QWidget* parent)
    : QWidget(parent),
      m_prompt(new QTextBrowser),
      m_leftTitle(new QLabel),
      m_rightTitle(new QLabel),
      m_left(new QTextBrowser),
      m_right(new QTextBrowser) {
    m_prompt->setObjectName("prompt");
    m_left->setObjectName("leftResponse");
    m_right->setObjectName("rightResponse");
    m_prompt->setMaximumHeight(120);
    for (QLabel* title : {m_leftTitle, m_rightTitle}) {
        QFont font = title->font();
        font.setBold(true);
        title->setFont(font);
    }
    auto* sides = new QSplitter(Qt::Horizontal);
    for (auto [title, text] : {std::pair{m_leftTitle, m_left}, std::pair{m_rightTitle, m_right}}) {
        auto* side = new QWidget;
        auto* layout = new QVBoxLayout(side);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(title);
        layout->addWidget(text, 1);
        sides->addWidget(side);
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_prompt);
    layout->addWidget(sides, 1);
    setTitles("A", "B");
}

void PairCompare::setTitles(const QString& leftTitle, const QString& rightTitle) {
    m_leftTitle->setText(leftTitle);
    m_rightTitle->setText(rightTitle);
}

void PairCompare::setPair(const QString& prompt, const QString& left, const QString& right) {
    m_promptText = prompt;
    m_leftText = left;
    m_rightText = right;
    m_prompt->setPlainText(prompt);
    WordDiff diff = diffWords(left, right);
    m_left->setHtml(diffHtml(diff.left));
    m_right->setHtml(diffHtml(diff.right));
}

void PairCompare::clear(const QString& message) {
    m_promptText = m_leftText = m_rightText = QString();
    m_prompt->setPlainText(message);
    m_left->clear();
    m_right->clear();
}

}  // namespace strata::widgets
