// Renders every page of the studio, with real data, into PNG files for docs/screenshots: the
// window is a real one (scripts/screenshots runs this under Xvfb), on a workspace the script
// filled with the sample pipeline, two runs and generated preference pairs. The Playground
// generates from the runs' checkpoints; the Home page is shot last, with every stage that ran; the
// Train page is shot once more in the dark appearance.
//   render_screenshots WORKSPACE STRATA_CLI OUT_DIR [LANG]
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
#include <QDir>
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
    labeling->importFile(QDir(workspace).filePath("pairs.jsonl"));
    auto* annotator = labeling->findChild<QLineEdit*>("annotator");
    annotator->setText("ana");
    emit annotator->editingFinished();
    for (int i = 0; i < 3; ++i)
        labeling->give(i % 2 ? strata::ui::LabelingPage::Verdict::Right
                             : strata::ui::LabelingPage::Verdict::Left);
    shoot(Labeling, "labeling");

    auto* runs = window.findChild<strata::ui::RunsPage*>();
    runs->reload();
    QList<int64_t> all;
    for (int64_t id = 1; id <= 3; ++id)
        all << id;
    runs->selectRuns(all);
    shoot(Runs, "runs");

    // The newest checkpoint against an earlier one, on one prompt with one seed.
    auto* playground = window.findChild<strata::ui::PlaygroundPage*>();
    pages->setCurrentRow(Playground);
    settle();
    playground->findChild<QPlainTextEdit*>("prompt")->setPlainText("The Python interpreter");
    playground->generate();
    while (playground->pane(0)->running() || playground->pane(1)->running())
        settle(200);
    shoot(Playground, "playground");

    // The pipeline as the workspace now stands: data, tokenizer, runs and labels.
    shoot(Home, "home");

    // The Train page again in the dark appearance: charts follow the palette.
    strata::ui::applyAppearance("dark");
    shoot(Train, "train-dark");
    strata::ui::applyAppearance("system");
    return 0;
}
