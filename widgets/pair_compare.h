// Two responses to one prompt side by side, the prompt above them and their differences
// highlighted word by word: the labeling panel's view of a preference pair. It shows what it is
// given, left and right; which response is on which side is the caller's business.
#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QTextBrowser;

namespace strata::widgets {

class PairCompare : public QWidget {
    Q_OBJECT

public:
    explicit PairCompare(QWidget* parent = nullptr);

    // `leftTitle`/`rightTitle` head the two sides ("A", "B").
    void setTitles(const QString& leftTitle, const QString& rightTitle);
    void setPair(const QString& prompt, const QString& left, const QString& right);
    void clear(const QString& message = {});

    QString prompt() const { return m_promptText; }
    QString leftText() const { return m_leftText; }
    QString rightText() const { return m_rightText; }

private:
    QTextBrowser* m_prompt;
    QLabel* m_leftTitle;
    QLabel* m_rightTitle;
    QTextBrowser* m_left;
    QTextBrowser* m_right;
    QString m_promptText;
    QString m_leftText;
    QString m_rightText;
};

}  // namespace strata::widgets
