// The Tokenizer page on a workspace with a real tokenizer: typed text becomes as many colored
// tokens as the tokenizer makes of it, with ids and compression; the vocabulary is browsable and
// searchable; an HF tokenizer.json is imported into the workspace (a broken one is refused with
// its reason); and a tokenizer trained through `strata-cli tokenizer train` appears and loads.
#include "core/tokenizer/tokenizer_json.h"
#include "tests/tiny_data.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "widgets/token_view.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
namespace fs = std::filesystem;

class TestTokenizerPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_root{m_tmp.path().toStdString()};

private slots:
    void initTestCase() {
        tiny::writeData(m_root / "data");
        fs::create_directories(m_root / "tokenizers" / "tiny");
        fs::copy_file(m_root / "data" / "tokenizer.json",
                      m_root / "tokenizers" / "tiny" / "tokenizer.json");
    }

    void typedTextBecomesTokens() {
        ui::TokenizerPage page(m_root, STRATA_CLI);
        QCOMPARE(page.findChild<QComboBox*>("tokenizerChoice")->currentText(), QString("tiny"));
        const QString text = "the cat sees a red house. 猫";
        page.findChild<QPlainTextEdit*>("text")->setPlainText(text);
        tokenizer::Tokenizer reference =
            tokenizer::loadTokenizer(m_root / "tokenizers" / "tiny" / "tokenizer.json");
        std::vector<tokenizer::TokenId> ids =
            reference.encode(text.toStdString(), tokenizer::SpecialPolicy::none());
        QCOMPARE(page.findChild<widgets::TokenView*>("tokens")->tokenCount(), int(ids.size()));
        QCOMPARE(page.findChild<QLineEdit*>("ids")->text().split(' ').size(),
                 qsizetype(ids.size()));
        QVERIFY(page.findChild<QLabel*>("stats")->text().contains(
            QString("→ %1 tokens").arg(ids.size())));
        // The CJK character is not in this small vocabulary: its bytes show in hex.
        QVERIFY(page.findChild<widgets::TokenView*>("tokens")->toPlainText().contains("‹"));
    }

    void vocabularyIsBrowsable() {
        ui::TokenizerPage page(m_root, STRATA_CLI);
        auto* table = page.findChild<QTableView*>("vocabulary");
        QCOMPARE(table->model()->rowCount(), tiny::kVocabSize);
        page.findChild<QLineEdit*>("vocabularySearch")->setText("th");
        QVERIFY(table->model()->rowCount() >= 1);
        QVERIFY(table->model()->rowCount() < 20);
    }

    void importRefusesWhatCannotBeUsed() {
        ui::TokenizerPage page(m_root, STRATA_CLI);
        QString source = QString::fromStdString((m_root / "data" / "tokenizer.json").string());
        QVERIFY(page.importTokenizer(source, "imported"));
        QVERIFY(fs::exists(m_root / "tokenizers" / "imported" / "tokenizer.json"));
        QVERIFY(!page.importTokenizer(source, "imported"));  // the name is taken
        QVERIFY(page.findChild<QLabel*>("message")->text().contains("exists already"));
        QVERIFY(!page.importTokenizer(source, "../escape"));
        QFile broken(m_tmp.filePath("broken.json"));
        broken.open(QIODevice::WriteOnly);
        broken.write("{\"model\": {\"type\": \"WordPiece\"}}");
        broken.close();
        QVERIFY(!page.importTokenizer(broken.fileName(), "broken"));
        QVERIFY(!fs::exists(m_root / "tokenizers" / "broken"));
        QVERIFY2(page.findChild<QLabel*>("message")->text().contains("broken.json"),
                 qPrintable(page.findChild<QLabel*>("message")->text()));
    }

    void trainingThroughTheCli() {
        ui::TokenizerPage page(m_root, STRATA_CLI);
        QSignalSpy finished(&page, &ui::TokenizerPage::trainingFinished);
        page.trainTokenizer(QString::fromStdString((m_root / "data" / "corpus.jsonl").string()),
                            "trained", 290);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        auto* choice = page.findChild<QComboBox*>("tokenizerChoice");
        QCOMPARE(choice->currentText(), QString("trained"));
        QCOMPARE(page.findChild<QTableView*>("vocabulary")->model()->rowCount(), 290);
    }
};

QTEST_MAIN(TestTokenizerPage)
#include "tst_tokenizer_page.moc"
