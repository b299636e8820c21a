// Renders every page of the studio, with real data, into PNG files for docs/screenshots: the
// window is a real one (scripts/screenshots runs this under Xvfb), on a workspace the script
// filled with the fine-tuning sample on the real model, two pretraining runs and the real model's
// answers as preference pairs. The Playground chats with the imported model and its fine-tuned
// version side by side; the Home page is shot last, with every stage that ran; the Train page is
// shot once more in the dark appearance.
//   render_screenshots WORKSPACE STRATA_CLI OUT_DIR [LANG]
#include "core/common/workspace_paths.h"
#include "core/store/run_history.h"
#include "ui/common/appearance.h"
#include "ui/common/language.h"
#include "ui/data/data_page.h"
#include "ui/labeling/labeling_page.h"
#include "ui/main_window.h"
#include "ui/playground/playground_page.h"
#include "ui/playground/playground_pane.h"
#include "ui/runs/runs_page.h"
#include "ui/tokenizer/tokenizer_page.h"
#include "ui/train/train_page.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <cstdio>

namespace {

// The rows of the page list.
enum Page { Home, Data, Tokenizer, Model, Train, Labeling, Runs, Playground };

// Lets the window lay out and paint (charts animate their first frame).
void settle(int milliseconds = 700) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < milliseconds) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
}

// Picks the model of `pane` whose label in its picker starts with `prefix`.
void pick(strata::ui::PlaygroundPane* pane, const QString& prefix) {
    auto* box = pane->findChild<QComboBox*>("checkpoint");
    for (int i = 0; i < box->count(); ++i)
        if (box->itemText(i).startsWith(prefix)) pane->selectChoice(i);
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 4) {
        std::fprintf(stderr, "usage: render_screenshots WORKSPACE STRATA_CLI OUT_DIR [LANG]\n");
        return 2;
    }
    QStandardPaths::setTestModeEnabled(true);  // leave the user's settings alone
    const QString workspace = argv[1];
    const QString language = argc > 4 ? argv[4] : "en";
    const QString suffix = language == "en" ? "" : "-" + language;
    strata::ui::installLanguage(app, language);
    QDir out(argv[3]);
    out.mkpath(".");

    strata::ui::MainWindow window(argv[2]);
    if (!window.openWorkspace(workspace.toStdString())) return 1;
    window.resize(1400, 960);
    window.show();
    auto* pages = window.findChild<QListWidget*>("pageList");
    auto shoot = [&](int page, const char* name) {
        pages->setCurrentRow(page);
        settle();
        window.grab().save(out.filePath(name + suffix + ".png"));
        std::fprintf(stderr, "%s\n", qPrintable(out.filePath(name + suffix + ".png")));
    };

    // The sample dataset: the funnel of its cleaning, then a preview of the settings.
    auto* data = window.findChild<strata::ui::DataPage*>();
    shoot(Data, "data");
    QEventLoop previewed;
    QObject::connect(data, &strata::ui::DataPage::previewReady, &previewed, &QEventLoop::quit);
    QTimer::singleShot(60000, &previewed, &QEventLoop::quit);
    data->preview();
    previewed.exec();
    shoot(Data, "data-preview");

    auto* tokenizer = window.findChild<strata::ui::TokenizerPage*>();
    tokenizer->findChild<QPlainTextEdit*>("text")->setPlainText(
        "The Python interpreter reads a script line by line.\n"
        "Strata trains language models: 训练语言模型 🎉");
    shoot(Tokenizer, "tokenizer");
    shoot(Model, "model");

    auto* train = window.findChild<strata::ui::TrainPage*>();
    train->findChild<QLineEdit*>("configPath")
        ->setText(QDir(workspace).filePath("configs/short.toml"));
    train->findChild<QLineEdit*>("runName")->setText("screenshot");
    pages->setCurrentRow(Train);
    train->startRun();
    settle(1500);
    while (train->runActive())
        settle(200);
    shoot(Train, "train");

    auto* labeling = window.findChild<strata::ui::LabelingPage*>();
    labeling->importFile(QDir(workspace).filePath("pairs.jsonl"));  // the login owns the queue
    labeling->setGuidelines(
        "**Prefer the answer that helps.** Choose the response that answers the request "
        "correctly and completely; when both do, the clearer one. Mark a tie only when you "
        "cannot tell them apart, and skip a pair you cannot judge.");
    auto* annotator = labeling->findChild<QLineEdit*>("annotator");
    annotator->setText("ana");
    emit annotator->editingFinished();
    for (int i = 0; i < 3; ++i)
        labeling->give(i % 2 ? strata::ui::LabelingPage::Verdict::Right
                             : strata::ui::LabelingPage::Verdict::Left);
    shoot(Labeling, "labeling");

    // The three pretraining runs compared (the fine-tuning runs train another model).
    auto* runs = window.findChild<strata::ui::RunsPage*>();
    runs->reload();
    strata::store::RunHistory history(strata::common::historyFile(workspace.toStdString()));
    strata::store::RunFilter pretraining;
    pretraining.stage = "pretrain";
    QList<int64_t> compared;
    for (const strata::store::RunRecord& run : history.listRuns(pretraining))
        compared << run.id;
    runs->selectRuns(compared);
    shoot(Runs, "runs");

    // A chat of two sample tasks, greedy: the imported model against it after LoRA SFT and GRPO.
    auto* playground = window.findChild<strata::ui::PlaygroundPage*>();
    pages->setCurrentRow(Playground);
    settle();
    pick(playground->pane(0), "models/smollm2-135m-instruct");
    pick(playground->pane(1), "sample-finetune-grpo");
    playground->findChild<QCheckBox*>("chat")->setChecked(true);
    playground->findChild<QDoubleSpinBox*>("temperature")->setValue(0);
    // As the sample's evaluation answers: no penalty on the digits the question already holds.
    playground->findChild<QDoubleSpinBox*>("repetitionPenalty")->setValue(1);
    for (const char* question : {"Largest: 4 9 2 7", "Sort: 8 3 5 1"}) {
        playground->findChild<QPlainTextEdit*>("prompt")->setPlainText(question);
        playground->generate();
        while (playground->pane(0)->running() || playground->pane(1)->running())
            settle(200);
    }
    shoot(Playground, "playground");

    // The pipeline as the workspace now stands: data, tokenizer, runs and labels.
    shoot(Home, "home");

    // The Train page again in the dark appearance: charts follow the palette.
    strata::ui::applyAppearance("dark");
    shoot(Train, "train-dark");
    strata::ui::applyAppearance("system");
    return 0;
}
