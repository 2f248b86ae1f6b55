import os, sys, glob, time, pathlib, argparse

# Kerasa / TensorFlow
from loss import depth_loss_function
from utils import predict, load_images
from model import create_model
from data import get_nyu_train_test_data

from tensorflow.keras.optimizers import Adam

parser = argparse.ArgumentParser(description='High Quality Monocular Depth Estimation via Transfer Learning')
parser.add_argument('--lr', type=float, default=0.0001, help='Learning rate')
parser.add_argument('--bs', type=int, default=4, help='Batch size')
parser.add_argument('--epochs', type=int, default=20, help='Number of epochs')
parser.add_argument('--checkpoint', type=str, default='', help='Start training from an existing model.')
args = parser.parse_args()

# Create the model
model = create_model( existing=args.checkpoint )

# Data loaders
train_generator = get_nyu_train_test_data( args.bs )

# Optimizer
optimizer = Adam(lr=args.lr, amsgrad=True)

# Compile the model
model.compile(loss=depth_loss_function, optimizer=optimizer)

# Start training
model.fit_generator(train_generator, epochs=args.epochs, shuffle=True)
