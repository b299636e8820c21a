#include "ui/tokenizer/vocabulary_model.h"

#include "widgets/token_view.h"

namespace strata::ui {

void VocabularyModel::setTokenizer(const tokenizer::Tokenizer* tokenizer) {
    beginResetModel();
    m_tokenizer = tokenizer;
    endResetModel();
}

int VocabularyModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_tokenizer ? 0 : int(m_tokenizer->vocabSize());
}

int VocabularyModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : NumColumns;
}

QVariant VocabularyModel::data(const QModelIndex& index, int role) const {
    if (!m_tokenizer || !index.isValid() || (role != Qt::DisplayRole && role != SortRole))
        return {};
    auto id = tokenizer::TokenId(index.row());
    std::string_view bytes = m_tokenizer->tokenBytes(id);
    switch (Column(index.column())) {
        case Id:
            return index.row();
        case Token:
            return widgets::tokenLabel(QByteArray(bytes.data(), qsizetype(bytes.size())));
        case Bytes:
            return int(bytes.size());
        case NumColumns:
            break;
    }
    return {};
}

QVariant VocabularyModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
        case Id:
            return tr("Id");
        case Token:
            return tr("Token");
        case Bytes:
            return tr("Bytes");
        case NumColumns:
            break;
    }
    return {};
}

}  // namespace strata::ui
