// The run table over a real history: one row per run with readable cells (a Slurm run's job
// beside its state), numbers that sort as numbers, and reload() picking up runs written since.
#include "tests/ui/runs/history_fixture.h"
#include "ui/runs/run_table_model.h"

#include <QSortFilterProxyModel>
#include <QtTest>

using namespace strata;
using ui::RunTableModel;

class TestRunTableModel : public QObject {
    Q_OBJECT

private slots:
    void rowsShowTheRuns() {
        HistoryFixture fixture;
        fixture.addRun("alpha", 120, 5.0, "0.01", {"baseline", "small"});
        RunTableModel model(fixture.runs);
        model.reload();
        QCOMPARE(model.rowCount(), 1);
        auto cell = [&](int column) { return model.index(0, column).data().toString(); };
        QCOMPARE(cell(RunTableModel::Name), QString("alpha"));
        QCOMPARE(cell(RunTableModel::State), QString("completed"));
        QCOMPARE(cell(RunTableModel::Host), QString("local"));
        QCOMPARE(cell(RunTableModel::StartedBy), QString("ana"));
        QCOMPARE(cell(RunTableModel::Step), QString("120"));
        QCOMPARE(cell(RunTableModel::Duration), QString("2 min 05 s"));
        QCOMPARE(cell(RunTableModel::Loss), QString::number(5.0 * std::exp(-120 / 50.0), 'f', 4));
        QCOMPARE(cell(RunTableModel::Tags), QString("baseline, small"));
        QCOMPARE(model.headerData(RunTableModel::Loss, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("Loss"));
    }

    void slurmRunsShowTheirJob() {
        HistoryFixture fixture;
        const int64_t runId = fixture.addRun("queued", 0, 1.0, "0.1");
        fixture.history.setState(runId, store::RunState::Created);
        fixture.history.setJob(runId, "4242", "PENDING (Resources)");
        RunTableModel model(fixture.runs);
        model.reload();
        QCOMPARE(model.index(0, RunTableModel::State).data().toString(),
                 QString("created · Slurm job 4242: PENDING (Resources)"));
    }

    void numbersSortAsNumbers() {
        HistoryFixture fixture;
        fixture.addRun("nine", 9, 1.0, "0.1");
        fixture.addRun("ten", 10, 1.0, "0.1");
        fixture.addRun("hundred", 100, 1.0, "0.1");
        RunTableModel model(fixture.runs);
        model.reload();
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(RunTableModel::SortRole);
        proxy.sort(RunTableModel::Step, Qt::AscendingOrder);
        QStringList order;
        for (int row = 0; row < proxy.rowCount(); ++row)
            order << proxy.index(row, RunTableModel::Name).data().toString();
        QCOMPARE(order, (QStringList{"nine", "ten", "hundred"}));
    }

    void reloadSeesNewRuns() {
        HistoryFixture fixture;
        RunTableModel model(fixture.runs);
        QCOMPARE(model.rowCount(), 0);
        fixture.addRun("late", 3, 1.0, "0.1");
        model.reload();
        QCOMPARE(model.rowCount(), 1);
    }

    void durations() {
        QCOMPARE(ui::durationText(-1), QString());
        QCOMPARE(ui::durationText(12.7), QString("12 s"));
        QCOMPARE(ui::durationText(3725), QString("1 h 02 min"));
    }
};

QTEST_MAIN(TestRunTableModel)
#include "tst_run_table_model.moc"
