// EmptyState: the view shows until the owner says it is empty; then the placeholder shows its
// title, sentence and buttons (in the order added, each a plain QPushButton to connect), and the
// view is untouched behind it, there again once it is no longer empty.
#include "widgets/empty_state.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using strata::widgets::EmptyState;

class TestEmptyState : public QObject {
    Q_OBJECT

private slots:
    void showsThePlaceholderOnlyWhileEmpty() {
        auto* view = new QLabel("the table");
        EmptyState empty(view, "Nothing yet", "What this view is for.");
        QCOMPARE(empty.view(), view);
        QVERIFY(!empty.showsPlaceholder());
        QCOMPARE(empty.currentWidget(), view);
        empty.setEmpty(true);
        QVERIFY(empty.showsPlaceholder());
        QCOMPARE(empty.title(), QString("Nothing yet"));
        QCOMPARE(empty.text(), QString("What this view is for."));
        QCOMPARE(empty.findChild<QLabel*>("placeholderTitle")->text(), QString("Nothing yet"));
        empty.setText("Still nothing", "Another sentence.");
        QCOMPARE(empty.findChild<QLabel*>("placeholderText")->text(), QString("Another sentence."));
        empty.setEmpty(false);
        QVERIFY(!empty.showsPlaceholder());
        QCOMPARE(view->text(), QString("the table"));
    }

    void buttonsComeInTheOrderAdded() {
        EmptyState empty(new QWidget, "Nothing yet", "Fill it.");
        QPushButton* first = empty.addAction("First");
        QPushButton* second = empty.addAction("Second");
        QList<QPushButton*> buttons =
            empty.findChild<QWidget*>("placeholder")->findChildren<QPushButton*>();
        QCOMPARE(buttons.size(), 2);
        empty.setEmpty(true);
        empty.resize(600, 400);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QVERIFY(first->isVisible() && second->isVisible());
        QVERIFY(first->geometry().x() < second->geometry().x());
        QSignalSpy clicked(second, &QPushButton::clicked);
        second->click();
        QCOMPARE(clicked.size(), 1);
    }
};

QTEST_MAIN(TestEmptyState)
#include "tst_empty_state.moc"
