import abc
import io
from typing import BinaryIO

import numpy as np


class NormalizeTransform(abc.ABC):
    @abc.abstractproperty
    def kind(self) -> str:
        pass

    @abc.abstractmethod
    def normalize(self, y: np.ndarray):
        pass

    @abc.abstractmethod
    def denormalize(self, y: np.ndarray):
        pass

    @abc.abstractmethod
    def dump(self, f: BinaryIO):
        pass

    def dumps(self) -> bytes:
        f = io.BytesIO()
        self.dump(f)
        return f.getvalue()


class StandardScaler(NormalizeTransform):

    kind: str = "standard"

    def __init__(self, std_epsilon: np.float32 = 1e-7):
        """Standard scaler normalizer: normalizes via (x-mean)/std

        Args:
            std_epsilon: A small value that is added to the standard deviation
                of each variable to be scaled, such that no variables (even those
                that are constant across samples) are unable to be scaled due to
                having zero standard deviation. Defaults to 1e-12.
        """
        self.mean = None
        self.std = None
        self.std_epsilon: np.float32 = std_epsilon

    def fit(self, data: np.ndarray):
        self.mean = data.mean(axis=0).astype(np.float32)
        self.std = data.std(axis=0).astype(np.float32) + self.std_epsilon

    def normalize(self, data):
        if self.mean is None or self.std is None:
            raise RuntimeError("StandardScaler.fit must be called before normalize.")
        return (data - self.mean) / self.std

    def denormalize(self, data):
        if self.mean is None or self.std is None:
            raise RuntimeError("StandardScaler.fit must be called before denormalize.")
        return data * self.std + self.mean

    def dump(self, f: BinaryIO):
        data = {}  # type: ignore
        if self.mean is not None:
            data["mean"] = self.mean
        if self.std is not None:
            data["std"] = self.std
        return np.savez(f, **data)
