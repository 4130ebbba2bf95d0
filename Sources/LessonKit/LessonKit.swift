// The one import a lesson program needs: the runner adds `import LessonKit` at the top of every
// lesson, and cells see the tensor core and the charts through it.
@_exported import TensorCore
@_exported import Figures
@_exported import NN
