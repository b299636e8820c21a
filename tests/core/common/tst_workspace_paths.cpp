// Paths in a workspace: data paths inside it are named relative to it, others absolutely; folder
// names are plain, and a name of dots (which would name the folder above) is not one.
#include "core/common/workspace_paths.h"

#include <QtTest>

using namespace strata::common;

class TestWorkspacePaths : public QObject {
    Q_OBJECT

private slots:
    void pathsInsideAreRelative() {
        QCOMPARE(workspaceRelative("/ws/datasets/a/shards", "/ws"),
                 std::string("datasets/a/shards"));
        QCOMPARE(workspaceRelative("/ws/x/../tokenizers/t.json", "/ws/"),
                 std::string("tokenizers/t.json"));
        QCOMPARE(workspaceRelative("/elsewhere/t.json", "/ws"), std::string("/elsewhere/t.json"));
        QCOMPARE(workspaceRelative("/ws/../wsx/t.json", "/ws"), std::string("/wsx/t.json"));
    }

    void plainNames() {
        for (const char* name : {"sample", "v1.2", "a_b-c", ".hidden", "x.."})
            QVERIFY2(isPlainName(name), name);
        for (const char* name : {"", ".", "..", "...", "a/b", "a b", "名字", "../x"})
            QVERIFY2(!isPlainName(name), name);
    }
};

QTEST_APPLESS_MAIN(TestWorkspacePaths)
#include "tst_workspace_paths.moc"
