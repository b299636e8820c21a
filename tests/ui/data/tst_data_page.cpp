// The Data page on a real corpus: the form offers every stage of the clean config, an invalid
// value is refused naming its key (and nothing is written), the preview shows sampled documents
// before and after with the reason for each removal, and a cleaning run through the real
// `strata-cli clean` writes the dataset, draws its funnel and is found again by a new page.
#include "core/cleaning/clean_config.h"
#include "core/common/json_writer.h"
#include "tests/core/cleaning/clean_test_text.h"
#include "ui/data/data_page.h"
#include "widgets/config_form.h"
#include "widgets/funnel_chart.h"
#include "widgets/pair_compare.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

namespace {

constexpr int kLongDocuments = 30;
constexpr int kShortDocuments = 10;

void setValue(ui::DataPage& page, const char* key, const QString& value) {
    auto* line = qobject_cast<QLineEdit*>(page.form()->editor(key));
    QVERIFY2(line, key);
    line->setText(value);
}

}  // namespace

class TestDataPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_root{m_tmp.path().toStdString()};
    QString m_corpus = m_tmp.filePath("corpus.jsonl");

private slots:
    void initTestCase() {
        std::mt19937 rng(11);
        std::string lines;
        for (int i = 0; i < kLongDocuments + kShortDocuments; ++i) {
            lines += "{\"text\":";
            common::appendJsonString(
                lines, i < kLongDocuments ? cleaning::test::prose(rng, 90) : "a few words only");
            lines += "}\n";
        }
        cleaning::test::writeFile(m_corpus, lines);
    }

    void theFormOffersEveryStage() {
        ui::DataPage page(m_root / "empty", STRATA_CLI);
        QVERIFY(page.message().isEmpty());
        QCOMPARE(page.form()->schema().size(),
                 common::describeConfig(cleaning::defaultCleanConfigText()).size());
        for (const char* key : {"words.min", "entropy.min_bits", "near_dedup.threshold",
                                "repetition.max_duplicate_line_fraction", "script.allowed"})
            QVERIFY2(qobject_cast<QLineEdit*>(page.form()->editor(key)), key);
        QVERIFY(qobject_cast<QCheckBox*>(page.form()->editor("exact_dedup.enabled")));
    }

    void anInvalidValueIsNamedAndNothingIsWritten() {
        fs::path workspace = m_root / "invalid";
        ui::DataPage page(workspace, STRATA_CLI);
        page.addSource(m_corpus);
        setValue(page, "words.min", "ten");
        page.findChild<QPushButton*>("cleanButton")->click();
        QCOMPARE(page.message(), QString("words.min: 'ten' is not a whole number"));
        setValue(page, "words.min", "5");
        setValue(page, "entropy.min_bits", "-1");
        page.findChild<QPushButton*>("previewButton")->click();
        QVERIFY2(page.message().contains("entropy.min_bits"), qPrintable(page.message()));
        QVERIFY(!page.running());
        QVERIFY(!fs::exists(workspace / "configs" / "clean.toml"));
        QVERIFY(!fs::exists(workspace / "datasets"));
    }

    void aConfigWithAnUnknownKeyIsRefused() {
        ui::DataPage page(m_root / "unknown", STRATA_CLI);
        QString file = m_tmp.filePath("typo.toml");
        cleaning::test::writeFile(file, "[words]\nminn = 3\n");
        QVERIFY(!page.loadConfig(file));
        QCOMPARE(page.message(), file + ":2: unknown key 'words.minn'");
    }

    void thePreviewShowsBeforeAfterAndTheReason() {
        ui::DataPage page(m_root / "preview", STRATA_CLI);
        page.addSource(m_corpus);
        QSignalSpy ready(&page, &ui::DataPage::previewReady);
        page.preview();
        QVERIFY(ready.wait(20000));
        auto* table = page.findChild<QTableWidget*>("previewTable");
        QCOMPARE(table->rowCount(), ready.first().first().toInt());
        QVERIFY(table->rowCount() > 0);
        int removed = 0;
        for (int row = 0; row < table->rowCount(); ++row) {
            if (!table->item(row, 1)->text().startsWith("removed")) continue;
            QCOMPARE(table->item(row, 1)->text(), QString("removed: words.too_few"));
            QCOMPARE(table->item(row, 2)->text(), QString("a few words only"));
            ++removed;
            table->selectRow(row);
        }
        QVERIFY(removed > 0);
        auto* beforeAfter = page.findChild<widgets::PairCompare*>();
        QCOMPARE(beforeAfter->leftText(), QString("a few words only"));
        QVERIFY(beforeAfter->prompt().contains("corpus.jsonl:"));
    }

    void cleaningWritesTheDatasetAndItsFunnel() {
        fs::path workspace = m_root / "clean";
        {
            ui::DataPage page(workspace, STRATA_CLI);
            page.addSource(m_corpus);
            setValue(page, "words.min", "20");
            QSignalSpy finished(&page, &ui::DataPage::cleaningFinished);
            page.findChild<QPushButton*>("cleanButton")->click();
            QVERIFY(page.running());
            QVERIFY(finished.wait(60000));
            QVERIFY2(finished.first().first().toBool(), qPrintable(page.message()));
            const QList<widgets::FunnelStep>& steps = page.funnel()->steps();
            QCOMPARE(steps.first().remaining, qint64(kLongDocuments + kShortDocuments));
            QVERIFY(steps.last().remaining <= kLongDocuments);
            auto words = std::find_if(steps.begin(), steps.end(),
                                      [](const auto& step) { return step.label == "words"; });
            QVERIFY(words != steps.end());
            QVERIFY(words->detail.contains(QString("words.too_few: %1").arg(kShortDocuments)));
        }
        fs::path dataset = workspace / "datasets" / "corpus";
        QVERIFY(fs::exists(dataset / "clean.jsonl.zst"));
        QVERIFY(fs::exists(dataset / "rejected.jsonl.zst"));
        // The settings and the sources are kept: a new page shows them, and the funnel.
        ui::DataPage again(workspace, STRATA_CLI);
        QCOMPARE(again.sources(), QStringList{m_corpus});
        QCOMPARE(qobject_cast<QLineEdit*>(again.form()->editor("words.min"))->text(),
                 QString("20"));
        QVERIFY(!again.funnel()->steps().isEmpty());
    }

    void aFailingCommandShowsItsError() {
        ui::DataPage page(m_root / "failing", STRATA_CLI);
        page.addSource(m_tmp.filePath("vanished.jsonl"));
        QSignalSpy finished(&page, &ui::DataPage::cleaningFinished);
        page.findChild<QPushButton*>("cleanButton")->click();
        QVERIFY(finished.wait(20000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(page.message().contains("vanished.jsonl"), qPrintable(page.message()));
    }
};

QTEST_MAIN(TestDataPage)
#include "tst_data_page.moc"
