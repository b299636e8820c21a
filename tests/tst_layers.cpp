// The layering of the source tree (docs/architecture.md, "Layers"): folders in an order, each
// including only the folders below it and itself, and LibTorch only in the four folders that run
// models. Four checks: no include runs up or sideways, no LibTorch header or folder is reached
// from a LibTorch-free folder, each core folder is one library whose CMake links LibTorch exactly
// when it should, and strata-cli's commands that run no model compile without LibTorch.
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

namespace {

// Lowest first. A folder may include its own files and those of the layers before its own.
const QList<QStringList> kLayers = {
    {"core/common"},
    {"core/jinja"},
    {"core/tokenizer", "core/cleaning", "core/model_spec"},
    {"core/gguf"},
    {"core/data"},
    {"core/run"},
    {"core/store"},
    {"core/proto"},
    {"core/model"},
    {"core/distributed"},
    {"core/train"},
    {"core/align"},
    {"widgets"},
    {"ui"},
    {"app"},
};
const QStringList kTorchFolders = {"core/model", "core/distributed", "core/train", "core/align"};

const QString kSource = QStringLiteral(STRATA_SOURCE_DIR "/");

// The folder of kLayers a source path belongs to ("ui/train/x.h" -> "ui"), empty for none.
QString folderOf(const QString& path) {
    for (const QStringList& layer : kLayers)
        for (const QString& folder : layer)
            if (path.startsWith(folder + "/")) return folder;
    return {};
}

int layerOf(const QString& folder) {
    for (int i = 0; i < kLayers.size(); ++i)
        if (kLayers[i].contains(folder)) return i;
    return -1;
}

struct Include {
    QString target;  // "core/run/stage.h" or "torch/torch.h"
    bool project;    // a "..." include rooted at the repository
    int line;
};

QList<Include> includesOf(const QString& path) {
    static const QRegularExpression include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
    QList<Include> includes;
    QFile file(kSource + path);
    if (!file.open(QIODevice::ReadOnly)) return includes;
    int lineNumber = 0;
    for (const QString& line : QString::fromUtf8(file.readAll()).split('\n')) {
        ++lineNumber;
        QRegularExpressionMatch match = include.match(line);
        if (!match.hasMatch()) continue;
        QString target = match.captured(2);
        bool project = match.captured(1) == "\"" && !folderOf(target).isEmpty();
        includes.append({target, project, lineNumber});
    }
    return includes;
}

bool isTorchHeader(const QString& target) {
    return target.startsWith("torch/") || target.startsWith("ATen/") || target.startsWith("c10/") ||
           target.startsWith("caffe2/");
}

QStringList sourcesUnder(const QString& folder) {
    QStringList paths;
    QDirIterator files(kSource + folder, {"*.h", "*.cpp"}, QDir::Files,
                       QDirIterator::Subdirectories);
    while (files.hasNext())
        paths.append(files.next().mid(kSource.size()));
    paths.sort();
    return paths;
}

// Why `path` needs LibTorch, following its project includes; empty when it does not.
QString torchReason(const QString& path, QSet<QString>& seen) {
    if (seen.contains(path)) return {};
    seen.insert(path);
    if (kTorchFolders.contains(folderOf(path))) return path + " is in a LibTorch folder";
    for (const Include& include : includesOf(path)) {
        if (isTorchHeader(include.target))
            return QString("%1:%2 includes <%3>").arg(path).arg(include.line).arg(include.target);
        if (!include.project) continue;
        QString reason = torchReason(include.target, seen);
        if (!reason.isEmpty())
            return QString("%1:%2 -> %3").arg(path).arg(include.line).arg(reason);
    }
    return {};
}

}  // namespace

class TestLayers : public QObject {
    Q_OBJECT

private slots:
    void everyCoreFolderHasALayer() {
        QDir core(kSource + "core");
        const QStringList folders = core.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(folders.size() >= 10);
        for (const QString& folder : folders)
            QVERIFY2(layerOf("core/" + folder) >= 0,
                     qPrintable("core/" + folder + " is in no layer of tst_layers.cpp"));
    }

    void includesPointDown() {
        int checked = 0;
        for (const QStringList& layer : kLayers)
            for (const QString& folder : layer)
                for (const QString& path : sourcesUnder(folder)) {
                    const int own = layerOf(folder);
                    for (const Include& include : includesOf(path)) {
                        if (!include.project) continue;
                        const QString target = folderOf(include.target);
                        const bool allowed = target == folder || layerOf(target) < own;
                        QVERIFY2(allowed, qPrintable(QString("%1:%2 includes %3, which is not "
                                                             "below %4 in the layers")
                                                         .arg(path)
                                                         .arg(include.line)
                                                         .arg(include.target, folder)));
                        ++checked;
                    }
                }
        QVERIFY(checked > 500);
    }

    void libTorchOnlyWhereModelsRun() {
        for (const QStringList& layer : kLayers)
            for (const QString& folder : layer) {
                if (kTorchFolders.contains(folder) || folder == "app") continue;
                for (const QString& path : sourcesUnder(folder))
                    for (const Include& include : includesOf(path)) {
                        const bool torch = isTorchHeader(include.target) ||
                                           kTorchFolders.contains(folderOf(include.target));
                        QVERIFY2(!torch, qPrintable(QString("%1:%2 includes %3: %4 runs no model "
                                                            "and must build without LibTorch")
                                                        .arg(path)
                                                        .arg(include.line)
                                                        .arg(include.target, folder)));
                    }
            }
    }

    void eachCoreFolderIsOneLibrary() {
        static const QRegularExpression library(R"(add_library\((\w+))");
        for (const QStringList& layer : kLayers)
            for (const QString& folder : layer) {
                if (!folder.startsWith("core/")) continue;
                QFile cmake(kSource + folder + "/CMakeLists.txt");
                QVERIFY2(cmake.open(QIODevice::ReadOnly), qPrintable(folder));
                const QString text = QString::fromUtf8(cmake.readAll());
                QCOMPARE(text.count(library), 1);
                const QString name = library.match(text).captured(1);
                QCOMPARE(name, "strata_" + folder.mid(5));
                QCOMPARE(text.contains("strata_use_torch("), kTorchFolders.contains(folder));
            }
    }

    // app/cli/CMakeLists.txt compiles these without the torch precompiled header: they must not
    // need it, however deep the include.
    void cliCommandsWithoutModelsBuildWithoutLibTorch() {
        QFile cmake(kSource + "app/cli/CMakeLists.txt");
        QVERIFY(cmake.open(QIODevice::ReadOnly));
        QRegularExpressionMatch block =
            QRegularExpression(R"(set\(strata_cli_torch_free_sources([^)]*)\))")
                .match(QString::fromUtf8(cmake.readAll()));
        QVERIFY(block.hasMatch());
        const QStringList sources =
            block.captured(1).split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
        QVERIFY(sources.contains("cmd_worker.cpp") && sources.contains("cmd_launch.cpp"));
        for (const QString& source : sources) {
            QSet<QString> seen;
            const QString reason = torchReason("app/cli/" + source, seen);
            QVERIFY2(reason.isEmpty(), qPrintable(reason));
        }
    }
};

QTEST_APPLESS_MAIN(TestLayers)
#include "tst_layers.moc"
