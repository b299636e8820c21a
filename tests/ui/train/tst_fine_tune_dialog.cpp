// Fine-tune…: the dialog lists the workspace's models and, per stage, what the stage learns from;
// it writes the stage's config from its defaults with init.model, data.train (and a task set's
// held-out data.val) and the lora keys set, reads back as a run config; DPO and the reward model
// train every weight; the labeling queue is snapshotted for them; what is missing is said.
#include "core/common/workspace_paths.h"
#include "core/run/run_config.h"
#include "core/store/label_store.h"
#include "core/store/run_history.h"
#include "ui/train/fine_tune_dialog.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace strata;
namespace fs = std::filesystem;

class TestFineTuneDialog : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_workspace;

    void write(const fs::path& relative, const std::string& text) {
        fs::create_directories((m_workspace / relative).parent_path());
        std::ofstream(m_workspace / relative) << text;
    }
    QString path(const fs::path& relative) {
        return QString::fromStdString((m_workspace / relative).string());
    }
    static QString readAll(const QString& file) {
        QFile in(file);
        in.open(QIODevice::ReadOnly);
        return QString::fromUtf8(in.readAll());
    }
    static QStringList items(QComboBox* box) {
        QStringList texts;
        for (int i = 0; i < box->count(); ++i)
            texts << box->itemText(i);
        return texts;
    }

private slots:
    void initTestCase() {
        m_workspace = m_tmp.filePath("workspace").toStdString();
        write("models/smol/model.toml", "[model]\n");
        write("models/qwen/model.toml", "[model]\n");
        write("models/not-a-model/notes.txt", "");
        write("datasets/sample-tasks/sft.jsonl", "{\"prompt\": \"1+1\", \"completion\": \"2\"}\n");
        write("datasets/sample-tasks/tasks.jsonl", "{\"prompt\": \"2+2\", \"answer\": \"4\"}\n");
        write("datasets/sample-tasks/test.jsonl", "{\"prompt\": \"3+3\", \"answer\": \"6\"}\n");
        write("datasets/labels/labels-1.jsonl", "{}\n");
    }

    void listsModelsAndEachStagesData() {
        ui::FineTuneDialog dialog(m_workspace);
        auto* models = dialog.findChild<QComboBox*>("model");
        QCOMPARE(items(models), QStringList({"models/qwen", "models/smol"}));
        auto* data = dialog.findChild<QComboBox*>("dataset");
        QCOMPARE(items(data), QStringList({"datasets/sample-tasks/sft.jsonl"}));
        dialog.setStage("grpo");
        QCOMPARE(items(data), QStringList({"datasets/sample-tasks/tasks.jsonl"}));
        dialog.setStage("dpo");
        QCOMPARE(data->count(), 2);  // the queue, then the earlier snapshot
        QVERIFY(data->itemText(0).contains("labeling queue"));
        QCOMPARE(data->itemText(1), QString("datasets/labels/labels-1.jsonl"));
        // DPO has no LoRA.
        QVERIFY(!dialog.findChild<QComboBox*>("method")->isEnabled());
        QCOMPARE(dialog.findChild<QComboBox*>("method")->currentData().toBool(), false);
    }

    void writesALoraSftConfigFromTheDefaults() {
        ui::FineTuneDialog dialog(m_workspace);
        QSignalSpy saved(&dialog, &ui::FineTuneDialog::saved);
        dialog.setModel(path("models/smol"));
        dialog.setStage("sft");
        dialog.setLora(true);
        dialog.findChild<QSpinBox*>("loraRank")->setValue(4);
        QCOMPARE(dialog.findChild<QLineEdit*>("fileName")->text(), QString("finetune-sft.toml"));
        QVERIFY2(dialog.save(), qPrintable(dialog.messageText()));
        QCOMPARE(saved.size(), 1);
        QCOMPARE(dialog.savedPath(), path("configs/finetune-sft.toml"));
        // It reads as a run config: the stage, the model, the data and the adapters.
        run::RunConfig config = run::loadRunConfig(dialog.savedPath().toStdString());
        QCOMPARE(config.stage, run::Stage::Sft);
        QCOMPARE(QString::fromStdString(config.align.init.model.string()), path("models/smol"));
        QCOMPARE(QString::fromStdString(config.data.train.string()),
                 path("datasets/sample-tasks/sft.jsonl"));
        QVERIFY(config.align.sft.lora.enabled);
        QCOMPARE(config.align.sft.lora.rank, 4);
        QCOMPARE(config.align.sft.lora.alpha, 8.0);
        // Only what differs from the defaults is written.
        const QString text = readAll(dialog.savedPath());
        QVERIFY2(!text.contains("val_fraction"), qPrintable(text));

        // The next one takes the next free name; full fine-tuning leaves the adapters off.
        ui::FineTuneDialog full(m_workspace);
        full.setLora(false);
        QCOMPARE(full.findChild<QLineEdit*>("fileName")->text(), QString("finetune-sft-2.toml"));
        QVERIFY(!full.findChild<QSpinBox*>("loraRank")->isEnabled());
        QVERIFY2(full.save(), qPrintable(full.messageText()));
        QVERIFY(!readAll(full.savedPath()).contains("lora"));
    }

    void grpoTakesTheHeldOutTasks() {
        ui::FineTuneDialog dialog(m_workspace);
        dialog.setStage("grpo");
        QVERIFY2(dialog.save(), qPrintable(dialog.messageText()));
        run::RunConfig config = run::loadRunConfig(dialog.savedPath().toStdString());
        QCOMPARE(config.stage, run::Stage::Grpo);
        QCOMPARE(QString::fromStdString(config.data.train.string()),
                 path("datasets/sample-tasks/tasks.jsonl"));
        QCOMPARE(QString::fromStdString(config.data.val.string()),
                 path("datasets/sample-tasks/test.jsonl"));
        QVERIFY(config.align.grpo.lora.enabled);
    }

    void theLabelingQueueIsSnapshotted() {
        ui::FineTuneDialog dialog(m_workspace);
        dialog.setStage("reward");
        // No preference yet: nothing is written.
        store::RunHistory history(common::historyFile(m_workspace));
        store::LabelStore labels(common::historyFile(m_workspace));
        QVERIFY(!dialog.save());
        QVERIFY2(dialog.messageText().contains("No pair has an A or B label"),
                 qPrintable(dialog.messageText()));
        std::vector<int64_t> ids = labels.addPairs({{0, "2+2?", "4", "5", "a", "b"}});
        labels.label(ids[0], "ann", store::Choice::A);
        QVERIFY2(dialog.save(), qPrintable(dialog.messageText()));
        run::RunConfig config = run::loadRunConfig(dialog.savedPath().toStdString());
        QCOMPARE(config.stage, run::Stage::Reward);
        QVERIFY(config.data.train.string().find("datasets/labels/labels-") != std::string::npos);
        QVERIFY(fs::exists(config.data.train));
    }

    void whatIsMissingIsSaid() {
        QTemporaryDir empty;
        ui::FineTuneDialog dialog(empty.path().toStdString());
        QVERIFY(!dialog.save());
        QVERIFY2(dialog.messageText().contains("Import Model"), qPrintable(dialog.messageText()));
        dialog.setModel(path("models/smol"));
        dialog.setStage("grpo");
        QVERIFY(!dialog.save());
        QVERIFY2(dialog.messageText().contains("task set"), qPrintable(dialog.messageText()));
    }
};

QTEST_MAIN(TestFineTuneDialog)
#include "tst_fine_tune_dialog.moc"
