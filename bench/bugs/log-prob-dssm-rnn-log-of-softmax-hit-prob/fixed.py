import tensorflow as tf

NEG = 4
query_BS = 100


def dssm_loss(query_rnn_output, doc_y):
    # Cosine similarity
    query_norm = tf.tile(tf.sqrt(tf.reduce_sum(tf.square(query_rnn_output), 1, True)), [NEG + 1, 1])
    doc_norm = tf.sqrt(tf.reduce_sum(tf.square(doc_y), 1, True))

    prod = tf.reduce_sum(tf.multiply(tf.tile(query_rnn_output, [NEG + 1, 1]), doc_y), 1, True)
    norm_prod = tf.multiply(query_norm, doc_norm)

    cos_sim_raw = tf.truediv(prod, norm_prod + 1e-8)
    cos_sim = tf.transpose(tf.reshape(tf.transpose(cos_sim_raw), [NEG + 1, query_BS])) * 20

    # Train Loss
    prob = tf.nn.softmax(cos_sim)
    hit_prob = tf.slice(prob, [0, 0], [-1, 1])
    loss = -tf.reduce_sum(tf.log(hit_prob + 1e-8))
    return loss


def train_step(query_rnn_output, doc_y, learning_rate):
    loss = dssm_loss(query_rnn_output, doc_y)
    return tf.train.AdamOptimizer(learning_rate).minimize(loss)
