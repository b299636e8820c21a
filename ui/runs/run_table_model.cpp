#include "ui/runs/run_table_model.h"

#include "ui/common/run_state_text.h"

#include <QDateTime>

#include <chrono>
#include <cmath>

namespace strata::ui {

namespace {

double unixNow() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

// Seconds the run has trained: to its end, or until now while it can still run.
double runSeconds(const store::RunRecord& run) {
    if (run.startedAt <= 0) return -1;
    return (run.endedAt > 0 ? run.endedAt : unixNow()) - run.startedAt;
}

}  // namespace

QString durationText(double seconds) {
    if (seconds < 0) return {};
    auto total = int64_t(seconds);
    if (total >= 3600)
        return QObject::tr("%1 h %2 min")
            .arg(total / 3600)
            .arg(total % 3600 / 60, 2, 10, QChar('0'));
    if (total >= 60)
        return QObject::tr("%1 min %2 s").arg(total / 60).arg(total % 60, 2, 10, QChar('0'));
    return QObject::tr("%1 s").arg(total);
}

RunTableModel::RunTableModel(store::RunCatalog& runs, QObject* parent)
    : QAbstractTableModel(parent), m_catalog(runs) {}

void RunTableModel::reload() {
    std::vector<store::RunRecord> runs = m_catalog.listRuns();
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

QStringList RunTableModel::chartedState(const QList<int64_t>& runIds) const {
    QStringList state;
    for (const store::RunRecord& run : m_runs)
        if (runIds.contains(run.id))
            state << QString("%1 %2 %3")
                         .arg(run.id)
                         .arg(run.lastSeq)
                         .arg(QString::fromStdString(run.shownName()));
    return state;
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : NumColumns;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_runs.size())) return {};
    const store::RunRecord& run = m_runs[size_t(index.row())];
    if (role == RunIdRole) return qint64(run.id);
    if (role == Qt::TextAlignmentRole)
        return index.column() == Step || index.column() == Loss || index.column() == Duration
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole) return {};
    const bool sorting = role == SortRole;
    switch (Column(index.column())) {
        case Name:
            return QString::fromStdString(run.shownName());
        case Stage:
            return QString::fromStdString(run.stage);
        case State:
            // A run submitted to Slurm shows its job too: pending with Slurm's reason, running,
            // ended.
            if (run.jobId.empty() || sorting) return runStateText(run.state);
            return tr("%1 · Slurm job %2: %3")
                .arg(runStateText(run.state), QString::fromStdString(run.jobId),
                     QString::fromStdString(run.jobState));
        case Host:
            return QString::fromStdString(run.host);
        case StartedBy:
            return QString::fromStdString(run.createdBy);
        case Duration:
            return sorting ? QVariant(runSeconds(run)) : QVariant(durationText(runSeconds(run)));
        case Step:
            return qint64(run.lastStep);
        case Loss:
            if (sorting) return std::isnan(run.lastLoss) ? QVariant() : QVariant(run.lastLoss);
            return std::isnan(run.lastLoss) ? QString() : QString::number(run.lastLoss, 'f', 4);
        case Created:
            return sorting ? QVariant(run.createdAt)
                           : QVariant(QDateTime::fromSecsSinceEpoch(qint64(run.createdAt))
                                          .toString("yyyy-MM-dd hh:mm"));
        case Tags: {
            QStringList tags;
            for (const std::string& tag : run.tags)
                tags << QString::fromStdString(tag);
            return tags.join(", ");
        }
        case Notes:
            return QString::fromStdString(run.notes);
        case NumColumns:
            break;
    }
    return {};
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
        case Name:
            return tr("Name");
        case Stage:
            return tr("Stage");
        case State:
            return tr("State");
        case Host:
            return tr("Target");
        case StartedBy:
            return tr("Started by");
        case Duration:
            return tr("Duration");
        case Step:
            return tr("Step");
        case Loss:
            return tr("Loss");
        case Created:
            return tr("Created");
        case Tags:
            return tr("Tags");
        case Notes:
            return tr("Notes");
        case NumColumns:
            break;
    }
    return {};
}

}  // namespace strata::ui
