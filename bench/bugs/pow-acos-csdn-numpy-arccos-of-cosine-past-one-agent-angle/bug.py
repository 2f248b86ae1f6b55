import numpy as np


class ObjectObserver:
    """Observation helper of an RL agent: the angle between the agent's heading and an object."""

    def __init__(self, self_pos, self_angle_v):
        self.self_pos = np.asarray(self_pos, dtype=np.float64)
        # unit vector of the agent's heading
        self.self_angle_v = np.asarray(self_angle_v, dtype=np.float64)

    def obj_angle(self, obj_pos):
        self2obj_v = np.asarray(obj_pos, dtype=np.float64) - self.self_pos
        self_angle_v = self.self_angle_v
        # inner product of self2obj_v and self_angle_v
        inner_product = (self2obj_v * self_angle_v).sum()
        # divided by the norms it is the cosine of the angle; self_angle_v is a unit vector
        cos = inner_product / np.linalg.norm(self2obj_v)
        # arccos of it is the angle
        obj_angle = np.arccos(cos)
        return obj_angle

    def observe(self, objects):
        return np.array([self.obj_angle(p) for p in objects])
