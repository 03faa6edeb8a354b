import SparsityCore
print(Tensor([0, 3.2, 0, 5.1]).relu())
