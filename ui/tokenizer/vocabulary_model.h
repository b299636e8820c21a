// A tokenizer's vocabulary as a table for the Tokenizer page: id, the token as shown (text, or
// its bytes in hex when it is not whole UTF-8), and its length in bytes.
#pragma once

#include "core/tokenizer/tokenizer.h"

#include <QAbstractTableModel>

namespace strata::ui {

class VocabularyModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Id, Token, Bytes, NumColumns };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit VocabularyModel(QObject* parent = nullptr) : QAbstractTableModel(parent) {}
    // Shows `tokenizer`'s vocabulary (nullptr: none); the tokenizer must outlive the model's use.
    void setTokenizer(const tokenizer::Tokenizer* tokenizer);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    const tokenizer::Tokenizer* m_tokenizer = nullptr;
};

}  // namespace strata::ui
