import logging
import numpy as np
import pandas as pd
from python_speech_features import fbank, delta

import constants as c
from constants import SAMPLE_RATE
from librispeech_wav_reader import read_audio


def normalize_frames(m):
    return [(v - np.mean(v)) / np.std(v) for v in m]


def pre_process_inputs(signal=np.random.uniform(size=32000), target_sample_rate=8000):
    filter_banks, energies = fbank(signal, samplerate=target_sample_rate, nfilt=64, winlen=0.025)
    delta_1 = delta(filter_banks, N=1)
    delta_2 = delta(delta_1, N=1)

    filter_banks = normalize_frames(filter_banks)
    delta_1 = normalize_frames(delta_1)
    delta_2 = normalize_frames(delta_2)

    frames_features = np.hstack([filter_banks, delta_1, delta_2])
    num_frames = len(frames_features)
    network_inputs = []
    for j in range(8, num_frames - 8):
        frames_slice = frames_features[j - 8:j + 8]
        network_inputs.append(np.reshape(frames_slice, (32, 32, 3)))
    return np.array(network_inputs)


class MiniBatch:
    def __init__(self, libri, batch_size):
        unique_speakers = list(libri['speaker_id'].unique())
        num_triplets = batch_size
        batches = {'anchor': [], 'positive': [], 'negative': []}
        for ii in range(num_triplets):
            two_different_speakers = np.random.choice(unique_speakers, size=2, replace=False)
            anchor_positive_speaker = two_different_speakers[0]
            negative_speaker = two_different_speakers[1]
            anchor_positive_file = libri[libri['speaker_id'] == anchor_positive_speaker].sample(n=2, replace=False)
            anchor_df = pd.DataFrame(anchor_positive_file[0:1])
            anchor_df['training_type'] = 'anchor'
            positive_df = pd.DataFrame(anchor_positive_file[1:2])
            positive_df['training_type'] = 'positive'
            negative_df = libri[libri['speaker_id'] == negative_speaker].sample(n=1)
            negative_df['training_type'] = 'negative'
            batches['anchor'].append(anchor_df)
            batches['positive'].append(positive_df)
            batches['negative'].append(negative_df)

        self.libri_batch = pd.DataFrame(pd.concat([pd.concat(batches[k], axis=0) for k in ('anchor', 'positive', 'negative')], axis=0))
        self.audio_loaded = False
        self.num_triplets = num_triplets

    def load_wav(self):
        self.libri_batch['raw_audio'] = self.libri_batch['filename'].apply(lambda x: read_audio(x))
        min_existing_frames = min(self.libri_batch['raw_audio'].apply(lambda x: len(x)).values)
        start_sec, end_sec = c.TRUNCATE_SOUND_SECONDS
        start_frame = int(start_sec * c.SAMPLE_RATE)
        end_frame = min(int(end_sec * c.SAMPLE_RATE), min_existing_frames)
        self.libri_batch['raw_audio'] = self.libri_batch['raw_audio'].apply(lambda x: x[start_frame:end_frame])
        self.audio_loaded = True

    def to_inputs(self):
        if not self.audio_loaded:
            self.load_wav()

        x = self.libri_batch['raw_audio'].values
        new_x = []
        for sig in x:
            new_x.append(pre_process_inputs(sig, target_sample_rate=SAMPLE_RATE))
        x = np.array(new_x)
        y = self.libri_batch['speaker_id'].values
        logging.info('x.shape = {}'.format(x.shape))
        np.testing.assert_array_equal(y[0:self.num_triplets], y[self.num_triplets:2 * self.num_triplets])
        return x, y


def stochastic_mini_batch(libri, batch_size):
    return MiniBatch(libri, batch_size)
