from keras import backend as K
from keras import regularizers
from keras.layers import Input, Softmax, Embedding, Dense
from keras.models import Model


def vanilla_transformer_gpt_model(
        max_seq_length: int, vocabulary_size: int,
        word_embedding_size: int, transformer_depth: int,
        num_heads: int, transformer_dropout: float = 0.1,
        embedding_dropout: float = 0.6,
        l2_reg_penalty: float = 1e-6,
        confidence_penalty_weight: float = 0.1):
    word_ids = Input(shape=(max_seq_length,), dtype='int32', name='word_ids')
    l2_regularizer = (regularizers.l2(l2_reg_penalty) if l2_reg_penalty else None)
    next_step_input = Embedding(vocabulary_size, word_embedding_size,
                                embeddings_regularizer=l2_regularizer)(word_ids)
    for i in range(transformer_depth):
        next_step_input = Dense(word_embedding_size, activation='relu')(next_step_input)
    output_softmax_layer = Softmax(name='word_predictions')
    word_predictions = output_softmax_layer(Dense(vocabulary_size)(next_step_input))
    model = Model(inputs=[word_ids], outputs=[word_predictions])
    # Penalty for confidence of the output distribution, as described in
    # "Regularizing Neural Networks by Penalizing Confident
    # Output Distributions" (https://arxiv.org/abs/1701.06548)
    confidence_penalty = K.mean(
        confidence_penalty_weight *
        K.sum(word_predictions * K.log(word_predictions + K.epsilon()), axis=-1))
    model.add_loss(confidence_penalty)
    return model
