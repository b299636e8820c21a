// A grid of values as colours: rows (experts, say) over columns (time), darker for small values
// and brighter for large ones on one scale shared by the whole grid, with the rows labelled and
// the value of the cell under the mouse in a tooltip. The Train page shows router load per
// expert over the run with it.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

namespace strata::widgets {

class Heatmap : public QWidget {
    Q_OBJECT

public:
    explicit Heatmap(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    // rows[r][c]: the value of row r in column c; every row has the same number of columns.
    // `columnLabels` name the columns for the tooltip (a step range, say).
    void setGrid(const QStringList& rowLabels, const QList<QVector<double>>& rows,
                 const QStringList& columnLabels);
    void clear();
    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return m_rows.isEmpty() ? 0 : int(m_rows.front().size()); }
    // "row, column: value" for a cell, as the tooltip shows it.
    QString cellText(int row, int column) const;
    // How many columns fit the widget's width (cells at least a few pixels wide).
    int columnsWanted() const;
    // The colour of a value in [0, 1] of the grid's range.
    static QColor colorAt(double fraction);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRect gridRect() const;

    QString m_title;
    QStringList m_rowLabels;
    QStringList m_columnLabels;
    QList<QVector<double>> m_rows;
    double m_min = 0;
    double m_max = 1;
};

}  // namespace strata::widgets
