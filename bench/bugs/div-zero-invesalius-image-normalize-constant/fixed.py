import numpy as np


def image_normalize(image, min_=0.0, max_=1.0, output_dtype=np.int16):
    output = np.empty(shape=image.shape, dtype=output_dtype)
    imin, imax = image.min(), image.max()
    if imin == imax:
        output[:] = min_
        return output
    output[:] = (image - imin) * ((max_ - min_) / (imax - imin)) + min_
    return output
