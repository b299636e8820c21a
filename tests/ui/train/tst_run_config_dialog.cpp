// New Config… on the Train page: each stage's form comes from the trainer's own defaults; the
// pickers fill init.model, init.reward_model (turning rewards.model on) and data.train, and keep
// them when the stage changes; the saved file names its stage and holds only what differs from
// the defaults, reading back as that stage's config; an existing file and a value of the wrong
// kind are refused with the reason, writing nothing.
#include "tests/core/proto/tiny_workspace.h"
#include "ui/train/run_config_dialog.h"
#include "widgets/config_form.h"

#include <QComboBox>
#include <QLineEdit>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace strata;

class TestRunConfigDialog : public QObject {
    Q_OBJECT

    TinyWorkspace m_workspace;

    std::vector<ui::CheckpointChoice> choices() const {
        return {
            {"tiny · step 4", "local", "/ws/runs/tiny/checkpoints/step-0000004", "run:1/step-4"},
            {"reward · step 8", "local", "/ws/runs/reward/checkpoints/step-0000008",
             "run:2/step-8"}};
    }

    static std::string read(const QString& path) {
        std::ifstream in(path.toStdString());
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

private slots:
    void pickersFillTheFormAcrossStages() {
        ui::RunConfigDialog dialog(choices(), m_workspace.root);
        QCOMPARE(dialog.form()->values()["train.stage"], std::string("sft"));
        QCOMPARE(dialog.form()->values()["init.model"],
                 std::string("/ws/runs/tiny/checkpoints/step-0000004"));
        dialog.findChild<QLineEdit*>("trainingData")->setText("/ws/prompts.jsonl");
        dialog.setStage("ppo");
        common::ConfigValues ppo = dialog.form()->values();
        QCOMPARE(ppo["train.stage"], std::string("ppo"));
        QCOMPARE(ppo["data.train"], std::string("/ws/prompts.jsonl"));
        QCOMPARE(ppo["rewards.model"], std::string("0.0"));
        QVERIFY(ppo.count("ppo.gamma"));  // the stage's own table
        dialog.findChild<QComboBox*>("rewardModel")->setCurrentIndex(2);
        QCOMPARE(dialog.form()->values()["init.reward_model"],
                 std::string("/ws/runs/reward/checkpoints/step-0000008"));
        QCOMPARE(dialog.form()->values()["rewards.model"], std::string("1.0"));
        dialog.setStage("dpo");
        QVERIFY(!dialog.form()->values().count("init.reward_model"));
        QCOMPARE(dialog.findChild<QLineEdit*>("fileName")->text(), QString("dpo.toml"));
    }

    void savedConfigNamesItsStageAndOnlyWhatDiffers() {
        ui::RunConfigDialog dialog(choices(), m_workspace.root);
        dialog.setStage("grpo");
        dialog.setValue("data.train", "/ws/tasks.jsonl");
        dialog.form()->setValues({{"grpo.group_size", "4"}});
        QVERIFY2(dialog.save(), qPrintable(dialog.messageText()));
        QCOMPARE(dialog.savedPath(),
                 QString::fromStdString((m_workspace.root / "configs" / "grpo.toml").string()));
        std::string text = read(dialog.savedPath());
        QVERIFY(text.find("stage = \"grpo\"") != std::string::npos);
        QVERIFY(text.find("group_size = 4") != std::string::npos);
        QVERIFY(text.find("model = \"/ws/runs/tiny/checkpoints/step-0000004\"") !=
                std::string::npos);
        QVERIFY(text.find("beta") == std::string::npos);  // left at its default
        // It reads back into the same form values.
        ui::RunConfigDialog again(choices(), m_workspace.root);
        again.setStage("grpo");
        QCOMPARE(
            common::readConfigValues(again.form()->schema(), text, "grpo.toml")["grpo.group_size"],
            std::string("4"));
        // The next config of the stage gets a free name.
        QCOMPARE(again.findChild<QLineEdit*>("fileName")->text(), QString("grpo-2.toml"));
    }

    void badValuesAndTakenNamesWriteNothing() {
        ui::RunConfigDialog dialog(choices(), m_workspace.root);
        dialog.setStage("reward");
        dialog.findChild<QLineEdit*>("fileName")->setText("taken.toml");
        std::ofstream(m_workspace.root / "configs" / "taken.toml") << "# mine\n";
        QVERIFY(!dialog.save());
        QVERIFY(dialog.messageText().contains("already exists"));
        QCOMPARE(
            read(QString::fromStdString((m_workspace.root / "configs" / "taken.toml").string())),
            std::string("# mine\n"));
        dialog.findChild<QLineEdit*>("fileName")->setText("fresh.toml");
        dialog.form()->setValues({{"train.max_steps", "many"}});
        QVERIFY(!dialog.save());
        QVERIFY2(dialog.messageText().contains("train.max_steps"),
                 qPrintable(dialog.messageText()));
        QVERIFY(!std::filesystem::exists(m_workspace.root / "configs" / "fresh.toml"));
    }
};

QTEST_MAIN(TestRunConfigDialog)
#include "tst_run_config_dialog.moc"
