// Generated from spark-scripts/mlship_runtime/catalogue.json by scripts/catalogue-ts.mjs (npm run build): do not edit.
// test/unit/model-catalogue.test.ts fails when this file is not current.

export const ALGORITHM_NAMES = ["logistic_regression","linear_regression","generalized_linear_regression","linear_svc","decision_tree_classifier","decision_tree_regressor","random_forest_classifier","random_forest_regressor","gbt_classifier","gbt_regressor","mlp_classifier","naive_bayes","kmeans"] as const;

export const CATALOGUE = {
  "logistic_regression": {
    "tasks": [
      "binary_classification",
      "multiclass_classification"
    ],
    "label": "classes",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.classification.LogisticRegression",
    "sparkModel": "pyspark.ml.classification.LogisticRegressionModel",
    "params": {
      "maxIter": "integer",
      "regParam": "number",
      "elasticNetParam": "number",
      "tol": "number",
      "fitIntercept": "boolean",
      "standardization": "boolean",
      "threshold": "number",
      "family": "string",
      "aggregationDepth": "integer"
    },
    "defaultEncoding": "onehot",
    "exporter": "linear",
    "portableKinds": [
      "logistic_regression"
    ],
    "updateModes": [
      "laplace",
      "warm",
      "retrain"
    ]
  },
  "linear_regression": {
    "tasks": [
      "regression"
    ],
    "label": "numbers",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.regression.LinearRegression",
    "sparkModel": "pyspark.ml.regression.LinearRegressionModel",
    "params": {
      "maxIter": "integer",
      "regParam": "number",
      "elasticNetParam": "number",
      "tol": "number",
      "fitIntercept": "boolean",
      "standardization": "boolean",
      "solver": "string",
      "loss": "string",
      "epsilon": "number",
      "aggregationDepth": "integer"
    },
    "defaultEncoding": "onehot",
    "exporter": "linear",
    "portableKinds": [
      "linear_regression"
    ],
    "updateModes": [
      "exact",
      "retrain"
    ]
  },
  "generalized_linear_regression": {
    "tasks": [
      "regression"
    ],
    "label": "numbers",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.regression.GeneralizedLinearRegression",
    "sparkModel": "pyspark.ml.regression.GeneralizedLinearRegressionModel",
    "params": {
      "family": "string",
      "link": "string",
      "variancePower": "number",
      "linkPower": "number",
      "maxIter": "integer",
      "regParam": "number",
      "tol": "number",
      "fitIntercept": "boolean",
      "solver": "string",
      "aggregationDepth": "integer"
    },
    "defaultEncoding": "onehot",
    "exporter": "linear",
    "portableKinds": [
      "generalized_linear_regression"
    ],
    "updateModes": [
      "exact",
      "retrain"
    ],
    "note": "updateModes exact holds for family gaussian with link identity only; other families and links update by retrain"
  },
  "linear_svc": {
    "tasks": [
      "binary_classification"
    ],
    "label": "two_classes",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.classification.LinearSVC",
    "sparkModel": "pyspark.ml.classification.LinearSVCModel",
    "params": {
      "maxIter": "integer",
      "regParam": "number",
      "tol": "number",
      "fitIntercept": "boolean",
      "standardization": "boolean",
      "threshold": "number",
      "aggregationDepth": "integer",
      "maxBlockSizeInMB": "number"
    },
    "defaultEncoding": "onehot",
    "exporter": "linear",
    "portableKinds": [
      "linear_svc"
    ],
    "updateModes": [
      "retrain"
    ]
  },
  "decision_tree_classifier": {
    "tasks": [
      "binary_classification",
      "multiclass_classification"
    ],
    "label": "classes",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.classification.DecisionTreeClassifier",
    "sparkModel": "pyspark.ml.classification.DecisionTreeClassificationModel",
    "params": {
      "maxDepth": "integer",
      "maxBins": "integer",
      "minInstancesPerNode": "integer",
      "minWeightFractionPerNode": "number",
      "minInfoGain": "number",
      "maxMemoryInMB": "integer",
      "cacheNodeIds": "boolean",
      "checkpointInterval": "integer",
      "seed": "integer",
      "impurity": "string"
    },
    "defaults": {
      "maxBins": 32
    },
    "defaultEncoding": "index",
    "exporter": "trees",
    "portableKinds": [
      "decision_tree_classifier"
    ],
    "updateModes": [
      "retrain"
    ]
  },
  "decision_tree_regressor": {
    "tasks": [
      "regression"
    ],
    "label": "numbers",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.regression.DecisionTreeRegressor",
    "sparkModel": "pyspark.ml.regression.DecisionTreeRegressionModel",
    "params": {
      "maxDepth": "integer",
      "maxBins": "integer",
      "minInstancesPerNode": "integer",
      "minWeightFractionPerNode": "number",
      "minInfoGain": "number",
      "maxMemoryInMB": "integer",
      "cacheNodeIds": "boolean",
      "checkpointInterval": "integer",
      "seed": "integer",
      "impurity": "string"
    },
    "defaults": {
      "maxBins": 32
    },
    "defaultEncoding": "index",
    "exporter": "trees",
    "portableKinds": [
      "decision_tree_regressor"
    ],
    "updateModes": [
      "retrain"
    ]
  },
  "random_forest_classifier": {
    "tasks": [
      "binary_classification",
      "multiclass_classification"
    ],
    "label": "classes",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.classification.RandomForestClassifier",
    "sparkModel": "pyspark.ml.classification.RandomForestClassificationModel",
    "params": {
      "maxDepth": "integer",
      "maxBins": "integer",
      "minInstancesPerNode": "integer",
      "minWeightFractionPerNode": "number",
      "minInfoGain": "number",
      "maxMemoryInMB": "integer",
      "cacheNodeIds": "boolean",
      "checkpointInterval": "integer",
      "seed": "integer",
      "impurity": "string",
      "numTrees": "integer",
      "subsamplingRate": "number",
      "featureSubsetStrategy": "string",
      "bootstrap": "boolean"
    },
    "defaults": {
      "maxBins": 32
    },
    "defaultEncoding": "index",
    "exporter": "trees",
    "portableKinds": [
      "random_forest_classifier"
    ],
    "updateModes": [
      "continue",
      "retrain"
    ]
  },
  "random_forest_regressor": {
    "tasks": [
      "regression"
    ],
    "label": "numbers",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.regression.RandomForestRegressor",
    "sparkModel": "pyspark.ml.regression.RandomForestRegressionModel",
    "params": {
      "maxDepth": "integer",
      "maxBins": "integer",
      "minInstancesPerNode": "integer",
      "minWeightFractionPerNode": "number",
      "minInfoGain": "number",
      "maxMemoryInMB": "integer",
      "cacheNodeIds": "boolean",
      "checkpointInterval": "integer",
      "seed": "integer",
      "impurity": "string",
      "numTrees": "integer",
      "subsamplingRate": "number",
      "featureSubsetStrategy": "string",
      "bootstrap": "boolean"
    },
    "defaults": {
      "maxBins": 32
    },
    "defaultEncoding": "index",
    "exporter": "trees",
    "portableKinds": [
      "random_forest_regressor"
    ],
    "updateModes": [
      "continue",
      "retrain"
    ]
  },
  "gbt_classifier": {
    "tasks": [
      "binary_classification"
    ],
    "label": "two_classes",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.classification.GBTClassifier",
    "sparkModel": "pyspark.ml.classification.GBTClassificationModel",
    "params": {
      "maxDepth": "integer",
      "maxBins": "integer",
      "minInstancesPerNode": "integer",
      "minWeightFractionPerNode": "number",
      "minInfoGain": "number",
      "maxMemoryInMB": "integer",
      "cacheNodeIds": "boolean",
      "checkpointInterval": "integer",
      "seed": "integer",
      "maxIter": "integer",
      "stepSize": "number",
      "subsamplingRate": "number",
      "featureSubsetStrategy": "string",
      "lossType": "string"
    },
    "defaults": {
      "maxBins": 32
    },
    "defaultEncoding": "index",
    "exporter": "trees",
    "portableKinds": [
      "gbt_classifier"
    ],
    "updateModes": [
      "continue",
      "retrain"
    ]
  },
  "gbt_regressor": {
    "tasks": [
      "regression"
    ],
    "label": "numbers",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.regression.GBTRegressor",
    "sparkModel": "pyspark.ml.regression.GBTRegressionModel",
    "params": {
      "maxDepth": "integer",
      "maxBins": "integer",
      "minInstancesPerNode": "integer",
      "minWeightFractionPerNode": "number",
      "minInfoGain": "number",
      "maxMemoryInMB": "integer",
      "cacheNodeIds": "boolean",
      "checkpointInterval": "integer",
      "seed": "integer",
      "maxIter": "integer",
      "stepSize": "number",
      "subsamplingRate": "number",
      "featureSubsetStrategy": "string",
      "lossType": "string"
    },
    "defaults": {
      "maxBins": 32
    },
    "defaultEncoding": "index",
    "exporter": "trees",
    "portableKinds": [
      "gbt_regressor"
    ],
    "updateModes": [
      "continue",
      "retrain"
    ]
  },
  "mlp_classifier": {
    "tasks": [
      "binary_classification",
      "multiclass_classification"
    ],
    "label": "classes",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.classification.MultilayerPerceptronClassifier",
    "sparkModel": "pyspark.ml.classification.MultilayerPerceptronClassificationModel",
    "params": {
      "hiddenLayers": "integers",
      "layers": "integers",
      "maxIter": "integer",
      "tol": "number",
      "seed": "integer",
      "blockSize": "integer",
      "solver": "string",
      "stepSize": "number"
    },
    "mlshipParams": [
      "hiddenLayers"
    ],
    "defaultEncoding": "onehot",
    "exporter": "mlp",
    "portableKinds": [
      "mlp_classifier"
    ],
    "updateModes": [
      "warm",
      "retrain"
    ]
  },
  "naive_bayes": {
    "tasks": [
      "binary_classification",
      "multiclass_classification"
    ],
    "label": "classes",
    "featureValues": {
      "byParam": "modelType",
      "multinomial": "non_negative",
      "complement": "non_negative",
      "bernoulli": "zero_or_one",
      "gaussian": "any"
    },
    "sparkEstimator": "pyspark.ml.classification.NaiveBayes",
    "sparkModel": "pyspark.ml.classification.NaiveBayesModel",
    "params": {
      "modelType": "string",
      "smoothing": "number"
    },
    "defaults": {
      "modelType": "multinomial"
    },
    "defaultEncoding": "onehot",
    "exporter": "bayes",
    "portableKinds": [
      "naive_bayes"
    ],
    "updateModes": [
      "exact",
      "retrain"
    ]
  },
  "kmeans": {
    "tasks": [
      "clustering"
    ],
    "label": "none",
    "featureValues": "any",
    "sparkEstimator": "pyspark.ml.clustering.KMeans",
    "sparkModel": "pyspark.ml.clustering.KMeansModel",
    "params": {
      "k": "integer",
      "maxIter": "integer",
      "tol": "number",
      "seed": "integer",
      "initMode": "string",
      "initSteps": "integer",
      "distanceMeasure": "string",
      "solver": "string",
      "maxBlockSizeInMB": "number"
    },
    "defaultEncoding": "onehot",
    "exporter": "kmeans",
    "portableKinds": [
      "kmeans"
    ],
    "updateModes": [
      "streaming",
      "retrain"
    ]
  }
} as const;
