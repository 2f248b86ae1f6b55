import numpy as np
import tensorflow as tf
import FLAGS
import os
import sys
sys.path.append('./util/')

from generate_data_test import input_fn_maker
from generate_network import generate_network as model_fn

flags=FLAGS.flags

path_txt = './scores/norm_fusion_att_%.2f_%.2f/Protocol_1'%(flags.paras.single_ratio, flags.paras.cla_ratio)
if not os.path.exists(path_txt):
    os.makedirs(path_txt)

# GPU config
config = tf.ConfigProto()
config.gpu_options.allow_growth=True
# # create estimator
this_config=tf.estimator.RunConfig(
    save_summary_steps=10000000000,
    save_checkpoints_steps=None,
    keep_checkpoint_max=1024,
    log_step_count_steps=None,
    session_config=config
)
mnist_classifier = tf.estimator.Estimator(
    model_fn=model_fn, config=this_config, model_dir=flags.path.model)

def officialEvalSub(txt_name, data_list, mode, path_model_now):
    def realProb(logits):
        x = np.array(logits)
        y = np.exp(x[0])/np.sum(np.exp(x))
        return y

    eval_input_fn = input_fn_maker(data_list, shuffle=False,
                                batch_size = 1,
                                epoch=1)
    features=mnist_classifier.predict(
            input_fn=eval_input_fn,
            checkpoint_path= path_model_now )
    fid = open(txt_name, 'w')
    fea_ind=0
    acc_mean = 0.0
    video_name = None
    video_score = 0.0
    video_frame_count = 0.0
    for feature in features:
        logits=feature['logits']
        labels=feature['labels']
        names=feature['names']
        depth_map=feature['depth_map']
        masks=feature['masks']
        depth_map = depth_map[..., 0]*masks[..., 0]
        #depth_map = (depth_map - np.min(depth_map)) / (np.max(depth_map) - np.min(depth_map) + 1e-6)
        depth_mean = np.sum(depth_map) / np.sum(masks[..., 0])

        cla_ratio = flags.paras.cla_ratio
        depth_ratio = 1 - cla_ratio
        logits[0] = depth_ratio * depth_mean + cla_ratio * logits[0]
        logits[1] = 1.0 - depth_mean

        out = np.argmax(np.array(logits))
        acc = int(out == labels[0])
        acc_mean += float(acc)
        print(fea_ind, logits, out, labels, [name.decode() for name in names], acc )

        if (video_name == None):
            video_name = names[0].decode()
            video_score += realProb(logits)
            video_frame_count += 1.0
        elif (not names[0].decode() == video_name):
            video_score_mean = video_score/video_frame_count
            fid.write(video_name + ',' + str(video_score_mean) + '\n')

            video_name = names[0].decode()
            video_score = 0.0
            video_frame_count = 0.0
            video_score += realProb(logits)
            video_frame_count += 1.0
        else:
            video_score += realProb(logits)
            video_frame_count += 1.0
        fea_ind+=1
    if video_frame_count == 0:
        video_score_mean = 0.0
    else:
        video_score_mean = video_score/video_frame_count
    fid.write(video_name + ',' + str(video_score_mean) + '\n')

    print('acc_mean:', acc_mean/float(fea_ind))
    fid.close()

def officialEval(path_model_now):
    path_txt_dev = os.path.join(path_txt, 'Dev_scores.txt')
    path_txt_test = os.path.join(path_txt, 'Test_scores.txt')

    officialEvalSub(path_txt_dev, [flags.path.dev_file], 'dev', path_model_now)
    officialEvalSub(path_txt_test, [flags.path.test_file], 'test', path_model_now)

if __name__ == '__main__':
    officialEval(None)
