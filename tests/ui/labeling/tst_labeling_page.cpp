// The Labeling page with the keyboard, on a real strata.db: ten pairs labeled with 1, 2, 3 and S
// (an undo with U in between) are in SQLite as the annotator meant them, whichever side each
// response was shown on; two annotators sharing the queue get different pairs; imports and exports
// go through the page, and a bad import is reported in the page. The annotator is the login until
// another name is typed, and a pair claimed for the old name goes back to the queue. The queue's
// owner sets labels per pair and the guidelines shown beside the pair; anyone else sees them
// only. Team… lists each annotator and, for the owner alone, the disagreements, where a decision
// is recorded beside the labels.
#include "core/common/login_name.h"
#include "core/store/label_review.h"
#include "core/store/label_store.h"
#include "ui/labeling/labeling_page.h"
#include "ui/labeling/review_dialog.h"
#include "widgets/pair_compare.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include <fstream>
#include <map>

using namespace strata;

namespace {

std::vector<store::PreferencePair> pairs(int count) {
    std::vector<store::PreferencePair> out;
    for (int i = 1; i <= count; ++i)
        out.push_back({0, "prompt " + std::to_string(i), "response A" + std::to_string(i),
                       "response B" + std::to_string(i)});
    return out;
}

}  // namespace

class TestLabelingPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::filesystem::path file(const char* name) { return m_tmp.filePath(name).toStdString(); }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void tenPairsWithTheKeyboard() {
        const std::filesystem::path db = file("keys.db");
        store::LabelStore(db).addPairs(pairs(12));
        ui::LabelingPage page(db);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));  // shortcuts work in the active window
        page.findChild<QLineEdit*>("annotator")->setText("ana");
        page.showNext();
        auto* compare = page.findChild<widgets::PairCompare*>("pairCompare");
        page.setFocus();

        // What the annotator meant, by pair: the text of the response they preferred.
        std::map<int64_t, std::string> preferred;
        const char keys[] = {'1', '2', '1', '3', 's', '2', '1', '1', '2', '1'};
        for (int i = 0; i < 10; ++i) {
            int64_t pair = page.currentPairId();
            QVERIFY(pair > 0);
            if (keys[i] == '1') preferred[pair] = compare->leftText().toStdString();
            if (keys[i] == '2') preferred[pair] = compare->rightText().toStdString();
            QTest::keyClick(&page, keys[i]);
            if (i == 4) {
                // Undo the skip, then prefer the right side of that pair instead.
                QTest::keyClick(&page, 'u');
                QCOMPARE(page.currentPairId(), pair);
                preferred[pair] = compare->rightText().toStdString();
                QTest::keyClick(&page, '2');
            }
        }

        store::LabelStore check(db);  // a separate connection, as after a crash
        std::vector<store::Label> labels = check.labels("ana");
        QCOMPARE(labels.size(), size_t(10));
        int decided = 0;
        for (const store::Label& label : labels) {
            store::PreferencePair pair = check.pair(label.pairId);
            if (label.choice == store::Choice::Tie) continue;
            QVERIFY2(label.choice != store::Choice::Skip, "the undone skip is gone");
            const std::string& chosen =
                label.choice == store::Choice::A ? pair.responseA : pair.responseB;
            QCOMPARE(chosen, preferred.at(label.pairId));
            ++decided;
        }
        QCOMPARE(decided, 9);
        QVERIFY(page.findChild<QLabel*>("progress")->text().startsWith("10 of 12 pairs labeled"));
    }

    void typingARationaleLabelsNothing() {
        const std::filesystem::path db = file("rationale.db");
        store::LabelStore(db).addPairs(pairs(2));
        ui::LabelingPage page(db);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        page.findChild<QLineEdit*>("annotator")->setText("dee");
        page.showNext();
        int64_t pair = page.currentPairId();
        auto* rationale = page.findChild<QLineEdit*>("rationale");
        rationale->setFocus();
        QTest::keyClicks(rationale, "1 is terse, 2 rambles");
        QCOMPARE(page.currentPairId(), pair);
        QCOMPARE(rationale->text(), QString("1 is terse, 2 rambles"));
        page.setFocus();
        QTest::keyClick(&page, '2');
        store::LabelStore check(db);
        QCOMPARE(check.labels("dee").at(0).rationale, std::string("1 is terse, 2 rambles"));
    }

    void annotatorsSharingTheQueueGetDifferentPairs() {
        const std::filesystem::path db = file("shared.db");
        store::LabelStore(db).addPairs(pairs(3));
        ui::LabelingPage ana(db), bo(db);
        ana.findChild<QLineEdit*>("annotator")->setText("ana");
        ana.showNext();
        bo.findChild<QLineEdit*>("annotator")->setText("bo");
        bo.showNext();
        QVERIFY(ana.currentPairId() > 0);
        QVERIFY(bo.currentPairId() > 0);
        QVERIFY(ana.currentPairId() != bo.currentPairId());
    }

    void theLoginLabelsUntilAnotherNameIsTyped() {
        const std::filesystem::path db = file("login.db");
        store::LabelStore(db).addPairs(pairs(1));
        QSettings().remove("labeling/annotator");  // nobody typed a name on this desktop
        ui::LabelingPage page(db);
        const std::string login = common::loginName();
        QCOMPARE(page.findChild<QLineEdit*>("annotator")->text().toStdString(), login);
        QCOMPARE(page.currentPairId(), int64_t(1));  // claimed for the login
        page.findChild<QLineEdit*>("annotator")->setText("eve");
        page.showNext();
        QCOMPARE(page.currentPairId(), int64_t(1));  // given back, so eve has it
        page.give(ui::LabelingPage::Verdict::Tie);
        QCOMPARE(store::LabelStore(db).labels("eve").size(), size_t(1));
    }

    void theOwnerSetsLabelsPerPairAndGuidelines() {
        const std::filesystem::path db = file("owner.db");
        store::LabelStore(db).addPairs(pairs(2), "fay");
        ui::LabelingPage fay(db), gus(db);
        fay.findChild<QLineEdit*>("annotator")->setText("fay");
        fay.showNext();
        QVERIFY(fay.setGuidelines("Prefer the **shorter** answer."));
        fay.findChild<QSpinBox*>("labelsPerPair")->setValue(2);
        QCOMPARE(store::LabelStore(db).queueSettings().labelsPerPair, 2);

        gus.findChild<QLineEdit*>("annotator")->setText("gus");
        gus.showNext();
        QCOMPARE(gus.currentPairId(), fay.currentPairId());  // two labels a pair
        QVERIFY2(gus.findChild<QTextBrowser*>("guidelines")->toPlainText().contains("shorter"),
                 qPrintable(gus.findChild<QTextBrowser*>("guidelines")->toPlainText()));
        QVERIFY(!gus.findChild<QSpinBox*>("labelsPerPair")->isEnabled());
        QVERIFY(!gus.findChild<QPushButton*>("editGuidelines")->isEnabled());
        QVERIFY(!gus.setGuidelines("mine now"));
        QVERIFY2(gus.findChild<QLabel*>("message")->text().contains("belongs to fay"),
                 qPrintable(gus.findChild<QLabel*>("message")->text()));
    }

    void theOwnerDecidesDisagreementsInTeam() {
        const std::filesystem::path db = file("team.db");
        {
            store::LabelStore labels(db);
            labels.addPairs(pairs(2), "hal");
            labels.label(1, "hal", store::Choice::A);
            labels.label(1, "ivy", store::Choice::B, "B cites a source");
            labels.label(2, "hal", store::Choice::A);
            labels.label(2, "ivy", store::Choice::A);
        }
        store::LocalLabelQueue queue(db);
        ui::ReviewDialog owner(queue, "hal");
        QCOMPARE(owner.findChild<QTableWidget*>("annotators")->rowCount(), 2);
        QCOMPARE(owner.findChild<QTableWidget*>("agreements")->item(0, 2)->text(), QString("2"));
        QCOMPARE(owner.findChild<QListWidget*>("disagreementList")->count(), 1);
        QVERIFY(owner.findChild<QTextBrowser*>("disagreement")
                    ->toPlainText()
                    .contains("B cites a source"));
        QVERIFY(owner.decide(store::Choice::B));
        store::LabelStore check(db);
        std::vector<store::Disagreement> decided = store::LabelReview(check).disagreements();
        QCOMPARE(decided.at(0).decision->reviewer, std::string("hal"));
        QVERIFY(decided.at(0).decision->choice == store::Choice::B);

        ui::ReviewDialog annotator(queue, "ivy");  // sees the team, not the others' labels
        QCOMPARE(annotator.findChild<QTableWidget*>("annotators")->rowCount(), 2);
        QCOMPARE(annotator.findChild<QListWidget*>("disagreementList")->count(), 0);
        QVERIFY2(annotator.findChild<QLabel*>("message")->text().contains("owner, hal, reviews"),
                 qPrintable(annotator.findChild<QLabel*>("message")->text()));
    }

    void importAndExportGoThroughThePage() {
        const std::filesystem::path db = file("io.db");
        ui::LabelingPage page(db);
        page.findChild<QLineEdit*>("annotator")->setText("cy");
        std::ofstream(file("in.jsonl")) << "{\"prompt\": \"p\", \"chosen\": \"good\", "
                                           "\"rejected\": \"bad\"}\n";
        QVERIFY(page.importFile(QString::fromStdString(file("in.jsonl").string())));
        QVERIFY(page.currentPairId() > 0);
        auto* compare = page.findChild<widgets::PairCompare*>("pairCompare");
        page.give(compare->leftText() == "good" ? ui::LabelingPage::Verdict::Left
                                                : ui::LabelingPage::Verdict::Right);
        QVERIFY(page.exportFile(QString::fromStdString(file("out.jsonl").string())));
        std::ifstream in(file("out.jsonl"));
        std::string line;
        std::getline(in, line);
        QCOMPARE(line, std::string(R"({"prompt":"p","chosen":"good","rejected":"bad"})"));

        std::ofstream(file("bad.jsonl")) << "{\"prompt\": 3}\n";
        QVERIFY(!page.importFile(QString::fromStdString(file("bad.jsonl").string())));
        QVERIFY2(page.findChild<QLabel*>("message")->text().contains("bad.jsonl:1:"),
                 qPrintable(page.findChild<QLabel*>("message")->text()));
    }
};

QTEST_MAIN(TestLabelingPage)
#include "tst_labeling_page.moc"
